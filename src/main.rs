//! The `trls` binary: a thin shell over the engine in the library.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
