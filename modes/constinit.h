// EMBER_CONSTINIT: marks a thread_local whose initial value is a constant.
//
// Why: code in another translation unit that reads an `extern thread_local`
// normally goes through a wrapper call, in case the variable needs dynamic
// initialisation. Declaring it constant-initialised lets the compiler read the
// thread's slot directly, which is what keeps GradMode::is_enabled() and the
// guards at a nanosecond or two.
#ifndef EMBER_MODES_CONSTINIT_H_
#define EMBER_MODES_CONSTINIT_H_

#if defined(__clang__)
#define EMBER_CONSTINIT __attribute__((require_constant_initialization))
#elif defined(__GNUC__) && __GNUC__ >= 10
#define EMBER_CONSTINIT __constinit
#else
#define EMBER_CONSTINIT
#endif

#endif  // EMBER_MODES_CONSTINIT_H_
