//! Document and range formatting: the formatter of `trls fmt` (`crate::format`),
//! its edits in the negotiated position encoding. A record that does not parse
//! (or whose layout the formatter refuses) gets no edits and a `window/logMessage`
//! saying why.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::server::Backend;
use crate::format;
use crate::schema::Schema;

pub(super) fn document_capability() -> Option<OneOf<bool, DocumentFormattingOptions>> {
    Some(OneOf::Left(true))
}

pub(super) fn range_capability() -> Option<OneOf<bool, DocumentRangeFormattingOptions>> {
    Some(OneOf::Left(true))
}

impl Backend {
    pub(super) async fn format_document(
        &self,
        params: DocumentFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.formatting_edits(params.text_document.uri, None).await
    }

    pub(super) async fn format_range(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.formatting_edits(params.text_document.uri, Some(params.range))
            .await
    }

    async fn formatting_edits(
        &self,
        uri: Uri,
        range: Option<Range>,
    ) -> Result<Option<Vec<TextEdit>>> {
        let answer = self
            .on_document(&uri, move |s| {
                let schema = Schema::builtin();
                let at = s.positions();
                let edits = match range {
                    None => format::document_edits(&s.text, s.syntax, &schema),
                    Some(r) => format::range_edits(&s.text, s.syntax, &schema, at.span(r)),
                };
                Some(edits.map(|edits| {
                    edits
                        .into_iter()
                        .map(|e| TextEdit::new(at.range(e.span), e.new_text))
                        .collect::<Vec<_>>()
                }))
            })
            .await?;
        match answer {
            None => Ok(None),
            Some(Ok(edits)) => Ok(Some(edits)),
            Some(Err(why)) => {
                let message = format!("trls: {}: {why}", uri.as_str());
                self.client.log_message(MessageType::WARNING, message).await;
                Ok(Some(Vec::new()))
            }
        }
    }
}
