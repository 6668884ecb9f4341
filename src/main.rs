use std::process::ExitCode;

use wemaintain::commands::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::from_args();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wemaintain : {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
