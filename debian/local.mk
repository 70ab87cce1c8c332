# Debian packaging files, for make dist.
