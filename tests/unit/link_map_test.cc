// The link map read from a real traced child: a fork of this test, so its loaded objects
// are this process's, which dl_iterate_phdr lists.
#include <gtest/gtest.h>
#include <link.h>

#include <set>
#include <string>

#include "child_with_engine_page.h"
#include "common/files.h"
#include "record/link_map.h"

namespace rrtr {
namespace {

std::set<std::string> our_objects() {
  std::set<std::string> names;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        // The executable has no name; the vDSO is no file.
        if (*info->dlpi_name && std::string(info->dlpi_name).find("linux-vdso") == std::string::npos)
          static_cast<std::set<std::string>*>(out)->insert(info->dlpi_name);
        return 0;
      },
      &names);
  return names;
}

TEST(LinkMap, NamesEveryObjectLdSoLoaded) {
  ChildWithEnginePage c;
  const auto auxv = read_proc_file(fmt::format("/proc/{}/auxv", c.proc.pid().value));
  ASSERT_TRUE(auxv);
  std::set<std::string> names;
  for (const auto& object : loaded_objects(c.proc.task(), *auxv)) {
    if (object.name.find("linux-vdso") == std::string::npos) names.insert(object.name);
    EXPECT_NE(object.dynamic, RemotePtr(0)) << object.name;
  }
  const auto expected = our_objects();
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(names, expected);
}

TEST(LinkMap, NothingWithoutAnAuxiliaryVector) {
  ChildWithEnginePage c;
  EXPECT_TRUE(loaded_objects(c.proc.task(), "").empty());
  EXPECT_TRUE(loaded_objects(c.proc.task(), std::string(7, '\x03')).empty());  // a truncated entry
}

}  // namespace
}  // namespace rrtr
