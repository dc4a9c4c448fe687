#pragma once
// Elemental properties for the property-weighted composition images of the glass-forming-ability
// task. The table covers H..U (Z 1..92); a value no source gives is NaN.
//
// Sources, as tabulated in Magpie's elemental property tables (Ward, Agrawal, Choudhary and
// Wolverton, npj Comput. Mater. 2, 16028 (2016)):
//   radius             empirical atomic radius, Angstrom (J. C. Slater, J. Chem. Phys. 41, 3199 (1964))
//   electronegativity  Pauling scale (CRC Handbook via Mathematica's ElementData);
//                      noble gases NaN; Eu (not given there) 1.2 from the CRC Handbook
//   vec                valence electron concentration per atom as counted for high-entropy and
//                      glass-forming alloys (Guo and Liu, Prog. Nat. Sci. 21, 433 (2011)): s+d
//                      electrons for transition metals, s+p for main-group elements, 3 for the
//                      lanthanides; Th 4 and U 6 (6d2 7s2 and 5f3 6d1 7s2)
//   melting_point      K (Mathematica's ElementData)
#include <string>
#include <vector>

namespace alloyml::data {

/// Names of the tabulated properties, in a fixed order: radius, electronegativity, vec, melting_point.
const std::vector<std::string>& element_property_names();

/// Property `name` of element `z`; NaN where unknown; InputError for an unknown property name
/// (naming the valid ones) or z outside 1..103.
double element_property(int z, const std::string& name);

/// The property scaled to [0, 1] by the extremes of its known values over Z 1..92, so images do
/// not depend on the data set. NaN where unknown.
double element_property_scaled(int z, const std::string& name);

}  // namespace alloyml::data
