//! Fuzz target: the grammar module (GSA e-mails, members, principals, placeholders, IDs).
//! Must never panic, and its classifications must be self-consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::grammar::{self, GsaValue, WiMember};

fuzz_target!(|text: &str| {
    match grammar::classify_gsa(text) {
        GsaValue::Email(email) => {
            // An accepted e-mail has the documented suffix.
            assert!(text.ends_with(".iam.gserviceaccount.com"));
            let _ = grammar::account_id_problem(&email.account);
            let _ = grammar::project_id_problem(&email.project);
        }
        GsaValue::Placeholder(p) => assert!(text.get(p.range.clone()).is_some()),
        _ => {}
    }
    if let Some(member) = WiMember::parse(text) {
        let _ = member.ksa();
        let _ = member.project_number();
        assert!(member.pool().ends_with(".svc.id.goog"));
    } else if grammar::is_wi_looking(text) {
        assert!(!grammar::diagnose_member(text).is_empty());
    }
    let _ = grammar::is_non_gke_pool_principal(text);
    let _ = grammar::find_placeholder(text);
    let _ = grammar::google_managed(text);
});
