//! Shell completions and the manual page.

mod util;

use util::TestEnv;

#[test]
fn completions_name_the_subcommands() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = env.run_ok(&["completions", shell], 0);
        for word in ["search", "index", "extract", "stats"] {
            assert!(run.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn man_page_is_roff_with_the_commands() {
    let env = TestEnv::new();
    let run = env.run_ok(&["man"], 0);
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH polsearch"),
        "{}",
        &run.stdout[..200.min(run.stdout.len())]
    );
    assert!(run.stdout.contains("search"));
}

#[test]
fn help_mentions_exit_codes() {
    let env = TestEnv::new();
    let run = env.run_ok(&["--help"], 0);
    assert!(run.stdout.contains("Exit codes"), "{}", run.stdout);
}
