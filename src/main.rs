//! The `polsearch` command: parse arguments, run, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use polsearch::cli::Cli;
use polsearch::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`polsearch search … | head`) is the reader's choice, not a failure.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("polsearch: error: {err:#}");
            ExitCode::from(commands::EXIT_ERROR)
        }
    }
}
