"""kb: turn raw interview-preparation notes into a structured MkDocs handbook."""

__version__ = "0.1.0"
