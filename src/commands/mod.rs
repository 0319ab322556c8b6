//! Running a parsed command line: each subcommand turns its arguments into core options,
//! calls the library, and prints. Exit codes are decided here.

mod bench;
mod cite;
mod eval;
mod extract;
mod index;
mod lookup;
mod refs;
mod search;
mod show;
mod stats;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command};

/// Results found, or the command succeeded.
pub const EXIT_OK: u8 = 0;
/// The search ran and found nothing.
pub const EXIT_NO_HITS: u8 = 1;
/// Something went wrong: bad query, missing corpus, damaged index.
pub const EXIT_ERROR: u8 = 2;

/// Runs `cli` and returns the exit code; an `Err` is printed by `main` and exits with
/// [`EXIT_ERROR`].
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = use_color(cli.color);
    match &cli.command {
        Command::Search(args) => search::run(&cli, args, color),
        Command::Index(args) => index::run(&cli, args),
        Command::Extract(args) => extract::run(&cli, args),
        Command::Stats(args) => stats::run(&cli, args),
        Command::Show(args) => show::run(&cli, args, color),
        Command::Cite(args) => cite::run(&cli, args),
        Command::Cites(args) => refs::cites(&cli, args, color),
        Command::CitedBy(args) => refs::cited_by(&cli, args, color),
        Command::Bench(args) => bench::run(&cli, args),
        Command::Eval(command) => eval::run(&cli, command),
        Command::Completions(args) => {
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "polsearch", &mut io::stdout());
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

/// `auto` colours only a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}
