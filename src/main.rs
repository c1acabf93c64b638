use std::process::ExitCode;

use clap::Parser;

// saphyr allocates a node per YAML value and frees whole trees; with two threads the system
// allocator's arenas contend and grow page by page. mimalloc is faster here (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    wilint::cli::run(wilint::cli::Cli::parse())
}
