//! The native `Host`: buffered stdout/stderr, the system clock, files and
//! environment variables for the `protopy` command (which grants them all).

use std::io::{BufRead, Write};

use runtime::host::Host;

pub struct NativeHost {
    stdout: std::io::BufWriter<std::io::Stdout>,
    start: std::time::Instant,
}

impl NativeHost {
    pub fn new() -> NativeHost {
        NativeHost {
            stdout: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            start: std::time::Instant::now(),
        }
    }
}

impl Host for NativeHost {
    fn write_stdout(&mut self, text: &str) {
        let _ = self.stdout.write_all(text.as_bytes());
    }

    fn write_stderr(&mut self, text: &str) {
        let _ = self.stdout.flush();
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    fn flush(&mut self) {
        let _ = self.stdout.flush();
    }

    fn time(&mut self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    fn monotonic(&mut self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn has_clock(&self) -> bool {
        true
    }

    fn read_file(&mut self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn read_line(&mut self) -> Option<String> {
        let _ = self.stdout.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }

    fn env_var(&mut self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn native_stack_budget(&self) -> usize {
        // The engine thread has ENGINE_STACK_BYTES (512 MiB) of stack.
        400 << 20
    }

    fn sleep(&mut self, seconds: f64) {
        std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
    }
}

impl Drop for NativeHost {
    fn drop(&mut self) {
        let _ = self.stdout.flush();
    }
}
