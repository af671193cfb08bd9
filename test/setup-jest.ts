// Registers cdktf's Testing matchers (toHaveResourceWithProperties, toBeValidTerraform, …)
// and, through the adapter import, their types.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();
