//! The `trls` binary: a thin shell over the engine in the library.

mod cli;

/// mimalloc, not the system's allocator: a check allocates and frees a tree of
/// small nodes per record, and glibc's malloc and free were a tenth of its
/// instructions (see the performance section of docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
