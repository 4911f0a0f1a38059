// The association-object pattern: an association table with its own columns
// (quantity), mapped as a class with two many-to-one references, whose primary
// key is made of its two foreign keys.
#include "fixture.hpp"

namespace assoc_test {

struct OrderLine;
struct Order {
  std::int64_t id = 0;
  std::string customer{};
  retort::Many<OrderLine> lines{};
};
struct Product {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<OrderLine> lines{};
};
struct OrderLine {
  std::int64_t order_id = 0;    // part of the primary key and a foreign key
  std::int64_t product_id = 0;  // likewise
  std::int32_t quantity = 0;
  retort::One<Order> order{};
  retort::One<Product> product{};
};

}  // namespace assoc_test

template <>
struct retort::Mapping<assoc_test::Order> {
  static constexpr auto table = "orders";
  static void define(auto& m) {
    using namespace assoc_test;
    m.column("id", &Order::id, retort::primary_key);
    m.column("customer", &Order::customer);
    m.one_to_many("lines", &Order::lines, &OrderLine::order, retort::cascade::all | retort::cascade::delete_orphan);
  }
};
template <>
struct retort::Mapping<assoc_test::Product> {
  static constexpr auto table = "products";
  static void define(auto& m) {
    using namespace assoc_test;
    m.column("id", &Product::id, retort::primary_key);
    m.column("name", &Product::name);
    m.one_to_many("lines", &Product::lines, &OrderLine::product);
  }
};
template <>
struct retort::Mapping<assoc_test::OrderLine> {
  static constexpr auto table = "order_lines";
  static void define(auto& m) {
    using namespace assoc_test;
    m.column("order_id", &OrderLine::order_id, retort::primary_key, retort::references(&Order::id));
    m.column("product_id", &OrderLine::product_id, retort::primary_key, retort::references(&Product::id));
    m.column("quantity", &OrderLine::quantity);
    m.many_to_one("order", &OrderLine::order, &Order::lines);
    m.many_to_one("product", &OrderLine::product, &Product::lines);
  }
};

namespace assoc_test {
namespace {

using retort::make;

class AssociationObject : public orm_test::LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Order, Product, OrderLine>(engine());
  }
};

TEST_P(AssociationObject, KeysFromBothParentsFormTheLineKey) {
  {
    retort::Session s(engine());
    auto order = make<Order>({.customer = "Ann"});
    auto pen = make<Product>({.name = "pen"});
    auto ink = make<Product>({.name = "ink"});
    make<OrderLine>({.quantity = 3, .order = order, .product = pen});
    make<OrderLine>({.quantity = 1, .order = order, .product = ink});
    s.add(order);  // save-update reaches the lines, and through them the products
    s.commit();
    EXPECT_EQ(scalar("SELECT count(*) FROM order_lines"), 2);
    EXPECT_EQ(scalar("SELECT sum(quantity) FROM order_lines WHERE order_id = " + std::to_string(order->id)), 4);
    EXPECT_EQ(scalar("SELECT quantity FROM order_lines WHERE product_id = " + std::to_string(pen->id)), 3);
  }
  // Load back in a new Session through both sides; the same line object is reached both ways.
  retort::Session s(engine());
  auto order = s.query<Order>().one();
  ASSERT_EQ(order->lines.size(), 2u);
  auto line = order->lines[0];
  auto product = line->product.ptr();
  ASSERT_TRUE(product);
  ASSERT_EQ(product->lines.size(), 1u);
  EXPECT_EQ(product->lines[0].state(), line.state());
  // Removing a line from its order (delete-orphan) deletes only that row.
  order->lines.remove(line);
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM order_lines"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM products"), 2);
}

TEST_P(AssociationObject, DeletingTheOrderDeletesItsLinesNotTheProducts) {
  retort::Session s(engine());
  auto order = make<Order>({.customer = "Bo"});
  auto pen = make<Product>({.name = "pen"});
  make<OrderLine>({.quantity = 2, .order = order, .product = pen});
  s.add(order);
  s.commit();
  s.remove(order);
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM order_lines"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM products"), 1);
}

RETORT_ORM_SUITE(AssociationObject);

}  // namespace
}  // namespace assoc_test
