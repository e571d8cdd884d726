//! Data embedded at build time (see build.rs): reference schemas and the migrations index.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
