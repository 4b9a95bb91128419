// Symbol visibility for the reference library.
#ifndef KL_REFERENCE_EXPORT_HPP
#define KL_REFERENCE_EXPORT_HPP

// The library is compiled with -fvisibility=hidden so that internal helpers do not leak into
// the dynamic symbol table; only definitions marked KL_EXPORT (the 21 ABI functions) are visible.
#define KL_EXPORT __attribute__((visibility("default")))

#endif
