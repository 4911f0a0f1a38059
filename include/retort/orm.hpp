// retort/orm.hpp — the ORM in one include: mapping declarations, Ptr / One /
// Many, the Session, queries and schema from mappings.
#pragma once

#include "retort/orm/cascade.hpp"
#include "retort/orm/loader.hpp"
#include "retort/orm/mapping.hpp"
#include "retort/orm/metadata.hpp"
#include "retort/orm/ptr.hpp"
#include "retort/orm/relationship.hpp"
#include "retort/orm/session.hpp"
#include "retort/orm/query.hpp"
