//! Teams calls and chats (E1-E5): which buttons show, the numbers and addresses they use, and the
//! URIs handed to the OS, and the join links of sent meetings (D3). Everything that goes into a
//! URI is validated first and percent-encoded; only `callto:` and
//! `https://<the cloud's Teams host>/l/{call,chat}/0/0` can come out.

pub mod actions;
pub mod calls;
pub mod callto_handler;
pub mod join;
pub mod links;
pub mod phone;
