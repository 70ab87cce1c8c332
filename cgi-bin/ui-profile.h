/*
 * ui-profile.h -- the profile page: /users/{name} and /ko|ja|zh/users/{name}
 *
 * Written from the same struct profile (lib/profile.h) as the JSON, in
 * the language of the path.  Every figure is a <data value="..."> whose
 * value is the JSON's number, so tests (and scrapers) read it exactly.
 */
#ifndef ARENA_UI_PROFILE_H
#define ARENA_UI_PROFILE_H

#include "db.h"
#include "i18n.h"
#include "req.h"

/* The page of user `name` (the rest of the path after /users/). */
void ui_profile(struct req *rq, struct db *db, enum lang l, const char *name);

#endif
