//! Teams calls and chats (E1-E5): which buttons show, the numbers and addresses they use, and the
//! URIs handed to the OS. Everything that goes into a URI is validated first and percent-encoded;
//! only `callto:` and `https://teams.microsoft.com/l/{call,chat}/0/0` can come out.

pub mod calls;
pub mod links;
pub mod phone;
