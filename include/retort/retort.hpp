// retort/retort.hpp — everything retort offers, in one include.
#pragma once

#include "retort/column_reader.hpp"
#include "retort/dialect.hpp"
#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/result.hpp"
#include "retort/schema.hpp"
#include "retort/url.hpp"
#include "retort/value.hpp"
#if __has_include("retort/sql.hpp")
#include "retort/sql.hpp"
#endif
#if __has_include("retort/orm.hpp")
#include "retort/orm.hpp"
#endif
