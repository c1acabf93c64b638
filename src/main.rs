use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    wilint::cli::run(wilint::cli::Cli::parse())
}
