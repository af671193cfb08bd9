/**
 * A literal string as Terraform must read it inside a JSON configuration: `${` and `%{`
 * open template interpolations and directives there, so a value that merely contains
 * them (a name, say) is written `$${` / `%%{`, which Terraform turns back into the text.
 */
export function escapeTemplate(text: string): string {
  // Replacement functions: in a replacement string, `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
