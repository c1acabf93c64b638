//! Shell scripts, Markdown guides and prose as sources, through the binary: the article this
//! project started from, hostile input, discovery, suppressions, and determinism.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use std::path::Path;

use assert_cmd::Command;

fn wilint(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (line, rule) of every finding in concise output.
fn findings(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split(':');
            let _file = parts.next()?;
            let line_no = parts.next()?.parse().ok()?;
            let rule = line.split('[').nth(1)?.split(']').next()?.to_string();
            Some((line_no, rule))
        })
        .collect()
}

#[test]
fn the_source_article_gets_its_mistakes_reported() {
    let out = wilint(
        repo(),
        &[
            "check",
            "--format",
            "concise",
            "testdata/commands/source-article.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&stdout(&out));
    // The five flags its editor wrote with an em dash, the default/default grant, the
    // deprecated --identity-namespace and --workload-metadata-from-node.
    for (line, rule) in [
        (30, "WI070"),
        (31, "WI070"),
        (31, "WI026"),
        (59, "WI061"),
        (66, "WI070"),
        (67, "WI070"),
        (67, "WI062"),
        (68, "WI070"),
    ] {
        assert!(
            found.contains(&(line, rule.to_string())),
            "{rule} at line {line}: {found:?}"
        );
    }
    assert_eq!(found.len(), 8, "{found:?}");
}

#[test]
fn hostile_scripts_never_panic_and_never_cost_the_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).expect("write");
    write("binary.sh", b"\x7fELF\x00\x00\x01gcloud\x00\xff\xfe");
    write("latin1.sh", b"#!/bin/sh\necho caf\xe9\n");
    let long = format!("#!/bin/sh\necho {}\n", "a".repeat(5 << 20));
    write("long-line.sh", long.as_bytes());
    write(
        "quote.sh",
        b"#!/bin/sh\ngcloud projects add-iam-policy-binding p --member \"user:a\n",
    );
    write(
        "heredoc.sh",
        b"#!/bin/sh\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: ServiceAccount\n",
    );
    let nested = format!(
        "#!/bin/sh\necho {}x{}\n",
        "$(".repeat(3000),
        ")".repeat(3000)
    );
    write("nested.sh", nested.as_bytes());
    write("fence.md", b"```sh\ngcloud a \\\n");
    // Found by the lint_commands fuzz target: a wide character straddling a block's margin.
    write(
        "wide-margin.md",
        include_bytes!("../testdata/regressions/markdown-wide-character-in-block-margin.md"),
    );
    write(
        "good.sh",
        b"#!/bin/sh\ngcloud projects add-iam-policy-binding acme-prod --role=roles/viewer --member=ana@example.com\n",
    );
    let out = wilint(dir.path(), &["check", "--format", "concise", "."]);
    let text = stdout(&out);
    assert_ne!(
        out.status.code(),
        Some(101),
        "panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("good.sh:2:"), "{text}");
    assert!(text.contains("error[WI071]"), "{text}");
    // What the grammar cannot read is a note where it starts, never a lost file.
    assert!(text.contains("quote.sh:2:51: note[WI000]"), "{text}");
    assert!(text.contains("heredoc.sh:5:1: note[WI000]"), "{text}");
    assert!(!text.contains("internal error"), "{text}");
    // Not UTF-8: a finding with the file's name, as for manifests.
    assert!(
        text.contains("binary.sh:") && text.contains("latin1.sh:"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
}

#[test]
fn walks_read_scripts_guides_and_shebang_files_but_not_prose() {
    let dir = tempfile::tempdir().expect("tempdir");
    let grant = "gcloud projects add-iam-policy-binding acme-prod --role=roles/viewer --member=ana@example.com\n";
    std::fs::write(dir.path().join("setup.sh"), grant).expect("write");
    std::fs::write(
        dir.path().join("setup"),
        format!("#!/usr/bin/env bash\n{grant}"),
    )
    .expect("write");
    std::fs::write(dir.path().join("README.md"), format!("```sh\n{grant}```\n")).expect("write");
    std::fs::write(dir.path().join("notes.txt"), grant).expect("write");
    std::fs::write(
        dir.path().join("tool"),
        format!("#!/usr/bin/env python3\n{grant}"),
    )
    .expect("write");
    let out = wilint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&out);
    for name in ["setup.sh:1:", "setup:2:", "README.md:2:"] {
        assert!(text.contains(name), "{name}: {text}");
    }
    assert!(
        !text.contains("notes.txt") && !text.contains("tool:"),
        "{text}"
    );
    // Named, prose is read.
    let out = wilint(dir.path(), &["check", "--format", "concise", "notes.txt"]);
    assert!(stdout(&out).contains("notes.txt:1:"), "{}", stdout(&out));
}

#[test]
fn suppressions_in_shell_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let grant = "gcloud projects add-iam-policy-binding acme-prod --role=roles/viewer --member=ana@example.com";
    std::fs::write(
        dir.path().join("setup.sh"),
        format!(
            "#!/bin/sh\n# wilint: ignore WI071 -- the member is fixed by the next script\n{grant}\n{grant} # wilint: ignore WI071 until=2020-01-01 -- expired\n"
        ),
    )
    .expect("write");
    let out = wilint(dir.path(), &["check", "--format", "concise", "setup.sh"]);
    let found = findings(&stdout(&out));
    assert!(!found.contains(&(3, "WI071".to_string())), "{found:?}");
    assert!(found.contains(&(4, "WI071".to_string())), "{found:?}");
    assert!(found.contains(&(4, "WI092".to_string())), "{found:?}");
}

#[test]
fn output_does_not_depend_on_threads() {
    let runs: Vec<Vec<u8>> = ["1", "2", "4"]
        .iter()
        .map(|threads| {
            wilint(
                repo(),
                &[
                    "check",
                    "--format",
                    "json",
                    "-j",
                    threads,
                    "testdata/rules",
                    "testdata/commands/source-article.txt",
                ],
            )
            .stdout
        })
        .collect();
    assert!(runs[0].len() > 1000);
    assert!(runs.iter().all(|r| *r == runs[0]));
}
