#!/usr/bin/python3
"""The reference side of retort's differential ORM tests.

Runs each scenario through SQLAlchemy 1.4 (Debian's python3-sqlalchemy) with
the seed's mapping (User 1:n Post, back_populates, cascade="all, delete-orphan"),
a many-to-many (Article m:n Tag through article_tags) and a one-to-one
(Citizen 1:1 Passport, no delete-orphan) on a fresh in-memory SQLite database
and prints the final rows of every table,
one line per row: "<scenario>\t<table>\t<col1>|<col2>|..." (NULL for None),
tables and rows ordered by name and id, then "<scenario>\t(end)". tests/orm/differential_test.cpp runs
the same scenarios through retort, renders its rows the same way and compares.

Usage: sqlalchemy_scenarios.py [scenario ...]   (default: all)
"""
import sys
import warnings

from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine, select
from sqlalchemy.exc import IntegrityError, SAWarning
from sqlalchemy.orm import declarative_base, relationship, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    posts = relationship("Post", back_populates="author", cascade="all, delete-orphan")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String, nullable=False)
    content = Column(String)
    user_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="posts")


article_tags = Table(
    "article_tags", Base.metadata,
    Column("article_id", ForeignKey("articles.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Article(Base):
    __tablename__ = "articles"
    id = Column(Integer, primary_key=True)
    title = Column(String, nullable=False)
    tags = relationship("Tag", secondary=article_tags, back_populates="articles")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    articles = relationship("Article", secondary=article_tags, back_populates="tags")


class Citizen(Base):
    __tablename__ = "citizens"
    id = Column(Integer, primary_key=True)
    number = Column(String, nullable=False)
    passport = relationship("Passport", back_populates="citizen", uselist=False)


class Passport(Base):
    __tablename__ = "passports"
    id = Column(Integer, primary_key=True)
    # retort declares this column UNIQUE; SQLAlchemy 1.4 cannot replace a
    # passport in one flush under that constraint (it INSERTs the new row
    # before nulling the old one), so its twin here goes without it.
    citizen_id = Column(Integer, ForeignKey("citizens.id"))
    code = Column(String, nullable=False)
    citizen = relationship("Citizen", back_populates="passport")


def seed(session):
    user1 = User(name="Alice")
    Post(title="First Post", content="Content of first post", author=user1)
    Post(title="Second Post", content="Content of second post", author=user1)
    session.add(user1)
    session.commit()
    return user1


def two_users(session):
    alice = seed(session)
    bob = User(name="Bob")
    session.add(bob)
    session.commit()
    return alice, bob


def sc_seed(Session):
    seed(Session())


def sc_delete_cascade(Session):
    s = Session()
    alice = seed(s)
    s.delete(alice)
    s.commit()


def sc_delete_orphan(Session):
    s = Session()
    alice = seed(s)
    alice.posts.remove(alice.posts[0])
    s.commit()


def sc_move_post_parent_side(Session):
    s = Session()
    alice, bob = two_users(s)
    bob.posts.append(alice.posts[0])
    s.commit()


def sc_move_post_child_side(Session):
    s = Session()
    alice, bob = two_users(s)
    alice.posts[1].author = bob
    s.commit()


def sc_null_author(Session):
    s = Session()
    alice = seed(s)
    alice.posts[0].author = None  # an orphan under delete-orphan: deleted
    s.commit()


def sc_rollback_after_integrity_error(Session):
    s = Session()
    alice = seed(s)
    # A duplicate primary key (retort's std::string title cannot be NULL, so
    # both sides use the same violation).
    alice.posts.append(Post(id=1, title="Duplicate", content="no title"))
    try:
        with warnings.catch_warnings():  # SQLAlchemy warns of the identity conflict first
            warnings.simplefilter("ignore", SAWarning)
            s.commit()
    except IntegrityError:
        s.rollback()
    alice.posts.append(Post(title="Third Post"))
    s.commit()


def sc_second_session_sees_committed(Session):
    seed(Session())
    s2 = Session()
    user = s2.execute(select(User).where(User.name == "Alice")).scalar_one()
    user.name = "Alice Updated"
    s2.commit()


def articles_and_tags(session):
    t1, t2 = Tag(name="t1"), Tag(name="t2")
    a1 = Article(title="a1", tags=[t1, t2])
    a2 = Article(title="a2", tags=[t2])
    session.add_all([a1, a2])
    session.commit()
    return a1, a2, t1, t2


def sc_m2m_link_and_unlink(Session):
    s = Session()
    a1, a2, t1, t2 = articles_and_tags(s)
    a1.tags.remove(t1)
    a2.tags.append(Tag(name="t3"))
    t1.articles.append(a2)  # from the other side
    s.commit()


def sc_m2m_delete_either_side(Session):
    s = Session()
    a1, a2, t1, t2 = articles_and_tags(s)
    s.delete(t2)
    s.delete(a1)
    s.commit()


def sc_o2o_replace_child(Session):
    s = Session()
    c = Citizen(number="C-1", passport=Passport(code="P1"))
    s.add(c)
    s.commit()
    c.passport = Passport(code="P2")
    s.commit()


def sc_o2o_move_child(Session):
    s = Session()
    c1 = Citizen(number="C-1", passport=Passport(code="P1"))
    c2 = Citizen(number="C-2", passport=Passport(code="P2"))
    s.add_all([c1, c2])
    s.commit()
    c2.passport = c1.passport  # P2 loses its citizen, c1 its passport
    s.commit()


SCENARIOS = {name[3:]: fn for name, fn in globals().items() if name.startswith("sc_")}


# Every table, in name order, as tests/orm/differential_test.cpp reads them.
TABLE_QUERIES = [
    ("article_tags", "SELECT article_id, tag_id FROM article_tags ORDER BY article_id, tag_id"),
    ("articles", "SELECT id, title FROM articles ORDER BY id"),
    ("citizens", "SELECT id, number FROM citizens ORDER BY id"),
    ("passports", "SELECT id, citizen_id, code FROM passports ORDER BY id"),
    ("posts", "SELECT id, title, content, user_id FROM posts ORDER BY id"),
    ("tags", "SELECT id, name FROM tags ORDER BY id"),
    ("users", "SELECT id, name FROM users ORDER BY id"),
]


def rows(engine):
    with engine.connect() as c:
        return {table: [list(r) for r in c.exec_driver_sql(sql)] for table, sql in TABLE_QUERIES}


def run(name):
    # StaticPool-like sharing is the default for :memory: with one thread.
    engine = create_engine("sqlite:///:memory:")
    Base.metadata.create_all(engine)
    Session = sessionmaker(bind=engine)
    SCENARIOS[name](Session)
    return rows(engine)


def render(value):
    return "NULL" if value is None else str(value)


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(SCENARIOS):
        for table, table_rows in sorted(run(name).items()):
            for row in table_rows:
                print(f"{name}\t{table}\t" + "|".join(render(v) for v in row))
        print(f"{name}\t(end)")  # every scenario is listed, even one that leaves no rows
