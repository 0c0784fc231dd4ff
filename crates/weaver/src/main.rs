//! The `weaver` program: parses the command line and hands over to [`weaver::run`].

/// mimalloc instead of the system allocator: an import allocates and frees
/// millions of small strings, on which glibc's malloc spent a third of the
/// time (`malloc_consolidate`; see bench/RESULTS.md, register).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    weaver::run()
}
