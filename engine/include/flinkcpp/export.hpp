#pragma once

// What the engine exports to job libraries. The engine is compiled with
// hidden visibility: only what the public headers declare between
// FLINKCPP_API_BEGIN and FLINKCPP_API_END (every public header wraps its
// declarations so) is in the flink-cpp binary's dynamic symbol table, where
// a loaded job library finds it. Engine internals stay private to the binary.

#define FLINKCPP_API_BEGIN _Pragma("GCC visibility push(default)")
#define FLINKCPP_API_END _Pragma("GCC visibility pop")
