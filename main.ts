import { App } from 'cdktf';
import { addExampleStacks } from './stacks';

const app = new App();
addExampleStacks(app);
app.synth();
