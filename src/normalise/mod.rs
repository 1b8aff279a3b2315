//! Normalisation: a detected [`Plan`]'s rows become schema [`Action`]s.

pub mod due;
pub mod lead;
pub mod text;
pub mod xref;

use crate::detect::Plan;
use crate::document::Document;
use crate::report::{Action, PlanInfo};

/// Document-wide knowledge used while normalising (theme names for splitting cross-references).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Names of the document's themes / outcomes, as printed.
    pub themes: Vec<String>,
}

impl Context {
    /// Collect the context from a document.
    pub fn from_document(document: &Document) -> Context {
        let _ = document;
        Context::default()
    }
}

/// Normalise every plan: plan descriptions and actions (gaps not yet filled in).
pub fn normalise_plans(plans: &[Plan], context: &Context) -> (Vec<PlanInfo>, Vec<Action>) {
    let _ = (plans, context);
    (Vec::new(), Vec::new())
}
