// The migrations are embedded in the binary by `sqlx::migrate!`, which a
// proc macro cannot tell Cargo to watch: without this, a new migration file
// alone would not rebuild the binary, and it would run without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
