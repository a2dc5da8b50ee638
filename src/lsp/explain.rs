//! A rule's documentation in the editor: the `trls:explain/CODE` URI each
//! diagnostic's `codeDescription` links to, the "show documentation of CODE" code
//! action (the client command `trls.showDocumentation`, which the VS Code extension
//! and the Neovim configuration handle by opening the text), and
//! `workspace/executeCommand` `trls.explain` (argument: a code or rule name), which
//! answers the markdown `trls explain CODE` prints.

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::server::Backend;
use crate::codes::Code;

/// The server's command: the documentation of a rule, as markdown.
pub const EXPLAIN: &str = "trls.explain";
/// The client's command (argument: the code) that shows that documentation.
pub const SHOW: &str = "trls.showDocumentation";

/// Where a code's documentation is: `trls:explain/TRF013`.
pub fn uri(code: Code) -> Option<Uri> {
    format!("trls:explain/{}", code.as_str()).parse().ok()
}

pub fn description(code: Code) -> Option<CodeDescription> {
    uri(code).map(|href| CodeDescription { href })
}

pub(super) fn capability() -> ExecuteCommandOptions {
    ExecuteCommandOptions {
        commands: vec![EXPLAIN.into()],
        work_done_progress_options: Default::default(),
    }
}

/// The code named by a command's first argument: `TRF013`, `unknown-term` or a
/// `trls:explain/TRF013` URI.
fn code_of(arguments: &[Value]) -> Option<Code> {
    let arg = arguments.first()?.as_str()?.trim();
    let name = arg.strip_prefix("trls:explain/").unwrap_or(arg);
    Code::parse_code_or_name(name)
}

impl Backend {
    pub(super) async fn run_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let code = code_of(&params.arguments);
        match params.command.as_str() {
            EXPLAIN | SHOW => {
                let Some(code) = code else {
                    return Err(Error::invalid_params(
                        "expected a rule code (as in `trls explain TRF011`) as the argument",
                    ));
                };
                let meta = code.meta();
                if params.command == SHOW {
                    // A client without its own handler of the command: say where the
                    // documentation is.
                    self.client
                        .show_message(
                            MessageType::INFO,
                            format!(
                                "{} ({}): {}. Run `trls explain {}` for the whole documentation.",
                                meta.id, meta.name, meta.summary, meta.id
                            ),
                        )
                        .await;
                }
                Ok(Some(Value::String(meta.doc.to_string())))
            }
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_named_by_code_name_or_uri() {
        let args = |s: &str| vec![Value::String(s.into())];
        assert_eq!(code_of(&args("TRF013")), Some(Code::UnknownTerm));
        assert_eq!(code_of(&args("unknown-term")), Some(Code::UnknownTerm));
        assert_eq!(
            code_of(&args("trls:explain/TRF013")),
            Some(Code::UnknownTerm)
        );
        assert_eq!(code_of(&args("nonsense")), None);
        assert_eq!(code_of(&[]), None);
        assert_eq!(
            uri(Code::UnknownTerm).unwrap().as_str(),
            "trls:explain/TRF013"
        );
    }
}
