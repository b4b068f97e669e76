#include "gdb/target_description.h"

#include <fmt/format.h>

#include "gdb/register_table.h"

namespace rrtr::gdb {

namespace {

struct FeatureText {
  RegisterFeature feature;
  std::string_view name;
  // Types the feature's registers use beyond gdb's predefined ones; gdb rejects a
  // description that names an undefined type.
  std::string_view types;
};

constexpr std::string_view kEflagsType = R"(    <flags id="i386_eflags" size="4">
      <field name="CF" start="0" end="0"/>
      <field name="PF" start="2" end="2"/>
      <field name="AF" start="4" end="4"/>
      <field name="ZF" start="6" end="6"/>
      <field name="SF" start="7" end="7"/>
      <field name="TF" start="8" end="8"/>
      <field name="IF" start="9" end="9"/>
      <field name="DF" start="10" end="10"/>
      <field name="OF" start="11" end="11"/>
      <field name="NT" start="14" end="14"/>
      <field name="RF" start="16" end="16"/>
      <field name="VM" start="17" end="17"/>
      <field name="AC" start="18" end="18"/>
      <field name="VIF" start="19" end="19"/>
      <field name="VIP" start="20" end="20"/>
      <field name="ID" start="21" end="21"/>
    </flags>
)";

constexpr std::string_view kSseTypes = R"(    <vector id="v4f" type="ieee_single" count="4"/>
    <vector id="v2d" type="ieee_double" count="2"/>
    <vector id="v16i8" type="int8" count="16"/>
    <vector id="v8i16" type="int16" count="8"/>
    <vector id="v4i32" type="int32" count="4"/>
    <vector id="v2i64" type="int64" count="2"/>
    <union id="vec128">
      <field name="v4_float" type="v4f"/>
      <field name="v2_double" type="v2d"/>
      <field name="v16_int8" type="v16i8"/>
      <field name="v8_int16" type="v8i16"/>
      <field name="v4_int32" type="v4i32"/>
      <field name="v2_int64" type="v2i64"/>
      <field name="uint128" type="uint128"/>
    </union>
    <flags id="i386_mxcsr" size="4">
      <field name="IE" start="0" end="0"/>
      <field name="DE" start="1" end="1"/>
      <field name="ZE" start="2" end="2"/>
      <field name="OE" start="3" end="3"/>
      <field name="UE" start="4" end="4"/>
      <field name="PE" start="5" end="5"/>
      <field name="DAZ" start="6" end="6"/>
      <field name="IM" start="7" end="7"/>
      <field name="DM" start="8" end="8"/>
      <field name="ZM" start="9" end="9"/>
      <field name="OM" start="10" end="10"/>
      <field name="UM" start="11" end="11"/>
      <field name="PM" start="12" end="12"/>
      <field name="FZ" start="15" end="15"/>
    </flags>
)";

// The feature names are the ones gdb's i386 code validates a description against.
constexpr FeatureText kFeatures[] = {
    {RegisterFeature::kCore, "org.gnu.gdb.i386.core", kEflagsType},
    {RegisterFeature::kSse, "org.gnu.gdb.i386.sse", kSseTypes},
    {RegisterFeature::kLinux, "org.gnu.gdb.i386.linux", ""},
    {RegisterFeature::kSegments, "org.gnu.gdb.i386.segments", ""},
    {RegisterFeature::kAvx, "org.gnu.gdb.i386.avx", ""},
};

}  // namespace

std::string target_description_xml(bool has_avx) {
  auto regs = register_table().first(register_count(has_avx));
  std::string xml =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
      "<target version=\"1.0\">\n"
      "  <architecture>i386:x86-64</architecture>\n"
      "  <osabi>GNU/Linux</osabi>\n";
  for (const FeatureText& feature : kFeatures) {
    std::string body;
    for (std::size_t regno = 0; regno < regs.size(); ++regno) {
      const RegisterInfo& r = regs[regno];
      if (r.feature != feature.feature) continue;
      body += fmt::format("    <reg name=\"{}\" bitsize=\"{}\" type=\"{}\" group=\"{}\" regnum=\"{}\"/>\n",
                          r.name, r.bitsize, r.type, r.group, regno);
    }
    if (body.empty()) continue;
    xml += fmt::format("  <feature name=\"{}\">\n{}{}  </feature>\n", feature.name, feature.types, body);
  }
  xml += "</target>\n";
  return xml;
}

}  // namespace rrtr::gdb
