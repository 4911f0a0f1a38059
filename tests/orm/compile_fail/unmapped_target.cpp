// EXPECT: one_to_many target type has no retort::Mapping
#include "models.hpp"
struct Owner {
  std::int64_t id = 0;
  retort::Many<Unmapped> items{};
};
template <>
struct retort::Mapping<Owner> {
  static constexpr auto table = "owners";
  static void define(auto& m) {
    m.column("id", &Owner::id, retort::primary_key);
    m.one_to_many("items", &Owner::items, &Unmapped::id);
  }
};
int main() { (void)retort::make<Owner>(); }
