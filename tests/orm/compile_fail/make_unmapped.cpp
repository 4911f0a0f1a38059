// EXPECT: this type is not mapped
#include "models.hpp"
int main() { (void)retort::orm::detail::mapper_of<Unmapped>(); }
