//! Inline suppressions, each with a reason and an optional expiry:
//!
//! - `# wilint: ignore WI040 -- reason` on the line of a finding or the line above it;
//! - `# wilint: ignore-file WI040 -- reason` anywhere in a file;
//! - the annotation `wilint.dev/ignore: "WI040 reason; WI035 other reason"` on an object or
//!   its pod template's metadata;
//! - `until=2027-03-31` in any of them, after which the suppression stops working and says so.
//!
//! Suppressions police themselves: WI090 (no reason), WI091 (unknown rule), WI092 (unused or
//! expired).

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, FileId, Label, Severity, Span};
use crate::model::Object;
use crate::registry::{self, RuleMeta};
use crate::rules::{
    wi090_suppression_without_reason as wi090, wi091_unknown_rule_in_suppression as wi091,
    wi092_unused_suppression as wi092,
};
use crate::source::Files;
use crate::yaml;

/// The annotation that suppresses findings on an object.
pub const ANNOTATION: &str = "wilint.dev/ignore";

/// A calendar date, compared as (year, month, day).
pub type Date = (i32, u32, u32);

/// Where a suppression applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting on this 1-based line or the next one.
    Lines(usize),
    /// The whole file.
    File,
    /// Every finding on the object with this identity (`graph::object_key`).
    Object(String),
}

#[derive(Debug, Clone)]
pub struct Suppression {
    pub file: FileId,
    pub scope: Scope,
    /// Codes or names as written, with the rule each names (None: unknown).
    pub rules: Vec<(String, Option<&'static RuleMeta>)>,
    pub reason: Option<String>,
    pub until: Option<Result<Date, String>>,
    /// Where it is written (the comment or the annotation value).
    pub span: Span,
    used: bool,
}

impl Suppression {
    /// Parses `CODES [until=DATE] -- reason` (comments) or `CODE [until=DATE] reason`
    /// (annotation entries). Before `--` every word is a rule; without `--` the first word is,
    /// and so are the following words that name rules, until the reason starts.
    fn parse(file: FileId, scope: Scope, body: &str, span: Span) -> Self {
        let (head, explicit_reason) = match body.split_once("--") {
            Some((head, reason)) => (head, Some(reason.trim())),
            None => (body, None),
        };
        let mut rules = Vec::new();
        let mut until = None;
        let mut reason_words = Vec::new();
        for (i, word) in head.split_whitespace().enumerate() {
            if let Some(date) = word.strip_prefix("until=") {
                until = Some(parse_date(date));
                continue;
            }
            let is_rule = explicit_reason.is_some()
                || (reason_words.is_empty() && (i == 0 || looks_like_rule(word)));
            if is_rule {
                for code in word.split(',').filter(|c| !c.is_empty()) {
                    rules.push((code.to_string(), registry::find_meta(code)));
                }
            } else {
                reason_words.push(word);
            }
        }
        let reason = explicit_reason.map_or_else(|| reason_words.join(" "), str::to_string);
        Suppression {
            file,
            scope,
            rules,
            reason: Some(reason).filter(|r| !r.is_empty()),
            until,
            span,
            used: false,
        }
    }

    fn expired(&self, today: Date) -> bool {
        matches!(self.until, Some(Ok(date)) if date < today)
    }

    /// `line` gives the diagnostic's line, asked only by a comment's suppression (only files
    /// held whole have comments; a sparse file has no lines until output reads it again).
    fn covers(&self, diagnostic: &Diagnostic, line: impl Fn() -> usize) -> bool {
        if diagnostic.primary.span.file != self.file {
            return false;
        }
        let in_scope = match &self.scope {
            Scope::Lines(at) => {
                let line = line();
                line == *at || line == at + 1
            }
            Scope::File => true,
            Scope::Object(key) => diagnostic.object_key.as_deref() == Some(key),
        };
        in_scope
            && self
                .rules
                .iter()
                .any(|(_, meta)| meta.is_some_and(|m| m.code == diagnostic.rule.code))
    }
}

/// A rule code (`WI040`) or name (`hostnetwork-pod-with-wi`), as opposed to reason words.
fn looks_like_rule(word: &str) -> bool {
    word.split(',')
        .filter(|w| !w.is_empty())
        .all(|w| registry::find_meta(w).is_some())
}

fn parse_date(text: &str) -> Result<Date, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let invalid = || format!("`until={text}` is not a date; write YYYY-MM-DD");
    let [y, m, d] = parts.as_slice() else {
        return Err(invalid());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(invalid());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(invalid());
    }
    Ok((y, m, d))
}

/// Today's date (UTC), from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_from_days(i64::try_from(days).unwrap_or(0))
}

/// Days since 1970-01-01 to a Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // A constant pattern, covered by tests.
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*wilint:[ \t]*(ignore-file|ignore)\b([^\r\n]*)")
        .expect("valid regex")
});

/// Terraform's comments start with `#` or `//`.
static HCL_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // A constant pattern, covered by tests.
    Regex::new(r"(?m)(?:^|[ \t])(?:#|//)[ \t]*wilint:[ \t]*(ignore-file|ignore)\b([^\r\n]*)")
        .expect("valid regex")
});

/// The `# wilint: ignore…` comments of every file (`// wilint: …` too in Terraform).
pub fn from_comments(files: &Files) -> Vec<Suppression> {
    let mut found = Vec::new();
    for (id, file) in files.iter() {
        if !file.text.contains("wilint:") {
            continue;
        }
        let comment: &Regex = if crate::sources::terraform::is_terraform(file) {
            &HCL_COMMENT
        } else {
            &COMMENT
        };
        for caps in comment.captures_iter(&file.text) {
            let (Some(kind), Some(body), Some(whole)) = (caps.get(1), caps.get(2), caps.get(0))
            else {
                continue;
            };
            let start = whole.start() + whole.as_str().find(['#', '/']).unwrap_or(0);
            let span = Span {
                file: id,
                start,
                end: whole.end(),
            };
            let scope = if kind.as_str() == "ignore-file" {
                Scope::File
            } else {
                Scope::Lines(file.line_col(start).0)
            };
            found.push(Suppression::parse(id, scope, body.as_str(), span));
        }
    }
    found
}

/// The `wilint.dev/ignore` annotations of an object and its pod templates.
pub fn from_object(object: &Object<'_>) -> Vec<Suppression> {
    let mut metadatas: Vec<&yaml::Node<'_>> = object.metadata.into_iter().collect();
    metadatas.extend(object.pod_templates().iter().filter_map(|t| t.metadata));
    let mut found = Vec::new();
    for metadata in metadatas {
        let Some(value) = yaml::get(metadata, "annotations").and_then(|a| yaml::get(a, ANNOTATION))
        else {
            continue;
        };
        let Some(text) = yaml::as_str(value) else {
            continue;
        };
        let key = object.key();
        for entry in text.split(';').filter(|e| !e.trim().is_empty()) {
            found.push(Suppression::parse(
                object.doc.file,
                Scope::Object(key.clone()),
                entry,
                object.span(value),
            ));
        }
    }
    found
}

/// Why a finding is not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// SARIF's `inSource` (a comment or annotation) or `external` (the baseline).
    pub kind: &'static str,
    pub justification: String,
}

/// Marks the findings that suppressions cover (moving them to `suppressed`) and returns the
/// suppressions' own findings (WI090, WI091, WI092).
pub fn apply(
    files: &Files,
    suppressions: &mut [Suppression],
    diagnostics: &mut Vec<Diagnostic>,
    suppressed: &mut Vec<(Diagnostic, Suppressed)>,
    today: Date,
) -> Vec<Diagnostic> {
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics.drain(..) {
        let line = || files.span_positions(diagnostic.primary.span).0.0;
        let by = suppressions
            .iter_mut()
            .find(|s| !s.expired(today) && s.covers(&diagnostic, line));
        match by {
            Some(suppression) => {
                suppression.used = true;
                let justification = suppression
                    .reason
                    .clone()
                    .unwrap_or_else(|| "no reason given".to_string());
                suppressed.push((
                    diagnostic,
                    Suppressed {
                        kind: "inSource",
                        justification,
                    },
                ));
            }
            None => kept.push(diagnostic),
        }
    }
    *diagnostics = kept;

    let mut own = Vec::new();
    for s in suppressions.iter() {
        let label = |text: &str| Label::new(s.span, text);
        for (written, meta) in &s.rules {
            if meta.is_none() {
                let hint = registry::suggest(written)
                    .map(|m| format!("; did you mean `{m}`?"))
                    .unwrap_or_default();
                own.push(
                    Diagnostic::new(
                        &wi091::META,
                        format!("unknown rule `{written}` in suppression{hint}"),
                        label("unknown rule"),
                    )
                    .with_help("`wilint rules` lists every code and name"),
                );
            }
        }
        if s.rules.is_empty() {
            own.push(
                Diagnostic::new(
                    &wi091::META,
                    "suppression names no rule",
                    label("which rule?"),
                )
                .with_help("name the rule: `# wilint: ignore WI040 -- reason`"),
            );
        }
        if s.reason.is_none() {
            own.push(
                Diagnostic::new(
                    &wi090::META,
                    "suppression without a reason",
                    label("say why"),
                )
                .with_help("add the reason after `--`: `# wilint: ignore WI040 -- node agent keeps the node identity`"),
            );
        }
        match &s.until {
            Some(Err(problem)) => own.push(
                Diagnostic::new(&wi090::META, problem.clone(), label("invalid expiry"))
                    .with_help("write the expiry as `until=YYYY-MM-DD`"),
            ),
            Some(Ok((y, m, d))) if s.expired(today) => own.push(
                Diagnostic::new(
                    &wi092::META,
                    format!("suppression expired on {y:04}-{m:02}-{d:02}"),
                    label("expired"),
                )
                .with_severity(Severity::Warning)
                .with_note("the findings it covered are reported again")
                .with_help("fix the findings, or extend `until=` with a reason"),
            ),
            _ if !s.used
                && s.rules.iter().all(|(_, meta)| meta.is_some())
                && !s.rules.is_empty() =>
            {
                own.push(
                    Diagnostic::new(
                        &wi092::META,
                        "suppression matches no finding",
                        label("unused"),
                    )
                    .with_help("remove it: the finding it was written for is gone"),
                );
            }
            _ => {}
        }
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Suppression {
        let span = Span {
            file: 0,
            start: 0,
            end: 0,
        };
        Suppression::parse(0, Scope::File, body, span)
    }

    #[test]
    fn parses_codes_reason_and_expiry() {
        let s = parse(" WI040, WI035 until=2027-03-31 -- node agent keeps node identity");
        let codes: Vec<&str> = s.rules.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["WI040", "WI035"]);
        assert_eq!(s.reason.as_deref(), Some("node agent keeps node identity"));
        assert_eq!(s.until, Some(Ok((2027, 3, 31))));
    }

    #[test]
    fn annotation_form_has_the_reason_after_the_code() {
        let s = parse("WI040 node agent needs the node identity");
        assert_eq!(s.rules.len(), 1);
        assert_eq!(
            s.reason.as_deref(),
            Some("node agent needs the node identity")
        );
    }

    #[test]
    fn missing_reason_and_unknown_code() {
        let s = parse(" WI040");
        assert_eq!(s.reason, None);
        let s = parse(" WI999 -- why");
        assert!(s.rules[0].1.is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
        assert!(parse_date("2027-13-01").is_err());
        assert!(parse_date("tomorrow").is_err());
    }
}
