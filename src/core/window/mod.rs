//! Headless windows' navigation: what a document asks for as it loads.

pub mod document;
