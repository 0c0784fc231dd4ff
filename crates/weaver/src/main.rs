//! The `weaver` program: parses the command line and hands over to [`weaver::run`].

fn main() -> std::process::ExitCode {
    weaver::run()
}
