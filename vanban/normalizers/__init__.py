"""normalizers stage."""
