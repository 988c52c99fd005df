//! int helpers: placeholder replaced below
