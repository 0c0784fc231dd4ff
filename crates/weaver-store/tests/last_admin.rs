//! The last enabled admin is kept: it can be neither disabled, erased nor
//! given another role, even when two admins are disabled at the same time.

mod common;
use common::{registers, rt};

use weaver_core::enums::Role;
use weaver_store::{Store, User};

async fn admin(store: &Store, email: &str) -> User {
    store
        .create_user(email, None, Role::Admin, None)
        .await
        .unwrap()
}

async fn enabled_admins(store: &Store) -> Vec<i64> {
    let users = store.users().await.unwrap();
    users
        .into_iter()
        .filter(|u| u.role == Role::Admin && !u.disabled)
        .map(|u| u.id)
        .collect()
}

#[test]
fn two_admins_disabling_each_other_at_once_leave_one() {
    rt().block_on(async {
        for (store, db, _dir) in registers("weaver_last_admin").await {
            let backend = store.backend();
            let mut pair = (
                admin(&store, "a0@example.org").await,
                admin(&store, "b0@example.org").await,
            );
            for round in 1..=5 {
                // Two enabled admins; each is disabled at once, both changes
                // reading the admins before the other has committed.
                let (a, b) = (pair.0.id, pair.1.id);
                let (ra, rb) =
                    tokio::join!(store.set_disabled(a, true), store.set_disabled(b, true));
                assert!(
                    ra.is_ok() != rb.is_ok(),
                    "{backend:?}: exactly one may pass: {ra:?} {rb:?}"
                );
                let refused = ra.err().or(rb.err()).unwrap().to_string();
                assert!(refused.contains("last enabled admin"), "{refused}");
                let left = enabled_admins(&store).await;
                assert_eq!(left.len(), 1, "{backend:?}");
                let last = left[0];
                for e in [
                    store.erase_user(last).await.unwrap_err(),
                    store.set_role(last, Role::Manager).await.unwrap_err(),
                    store.set_disabled(last, true).await.unwrap_err(),
                ] {
                    assert!(e.to_string().contains("last enabled admin"), "{e}");
                }
                assert_eq!(enabled_admins(&store).await, vec![last]);
                assert!(store.users().await.unwrap().iter().any(|u| u.id == last));

                // Two new admins: the last one may go now (demoted on odd
                // rounds, erased on even ones), leaving two for the next round.
                pair = (
                    admin(&store, &format!("a{round}@example.org")).await,
                    admin(&store, &format!("b{round}@example.org")).await,
                );
                if round % 2 == 1 {
                    store.set_role(last, Role::Manager).await.unwrap();
                } else {
                    store.erase_user(last).await.unwrap();
                }
                assert_eq!(enabled_admins(&store).await, vec![pair.0.id, pair.1.id]);
            }
            store.close().await;
            weaver_testkit::drop_postgres(db).await;
        }
    });
}
