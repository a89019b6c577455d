//! The fuzz targets inside the normal test suite.

mod smoke;
