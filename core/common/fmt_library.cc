// fmt's implementation, compiled into the engine. Debian ships fmt as a shared library
// only, and rr-test-runner is linked statically (see the top CMakeLists.txt): without
// FMT_HEADER_ONLY, format-inl.h defines fmt's functions out of line here, once, and
// the templates format.h declares `extern` are instantiated below. (Header-only fmt
// would compile the same code into every file: +2.5 s per translation unit.)
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;

template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;

}  // namespace detail
FMT_END_NAMESPACE
