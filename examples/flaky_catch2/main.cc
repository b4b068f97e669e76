// Catch2 2.x is header-only: exactly one file of the program defines its main().
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
