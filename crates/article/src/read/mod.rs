//! Readers: placeholder until the reader module lands.
