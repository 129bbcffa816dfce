//! Microsoft Graph v1.0 endpoints (§4). Every call needs a valid bearer token with its scope.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::json;

use super::errors::graph_error;
use super::model::{JoinLink, SimUser};
use super::state::{SimEvent, SimState};

/// The user behind the request's bearer token, or the 401/403 Graph answers with (§4.7, item 7).
pub fn authorize(
    state: &SimState,
    headers: &HeaderMap,
    scope: &str,
    forbidden_code: &str,
) -> Result<SimUser, Response> {
    let now = state.now();
    let unauthenticated = |message: &str| {
        Err(graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
            now,
        ))
    };
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if token.is_empty() {
        return unauthenticated("Access token is empty.");
    }
    let inner = state.lock();
    let Some(grant) = inner.access_tokens.get(token) else {
        return unauthenticated("CompactToken parsing failed with error code: 80049217");
    };
    if grant.expires_at <= now {
        return unauthenticated("Access token has expired or is not yet valid.");
    }
    // After a revocation, only a CAE token is refused before it expires; any other access token
    // stays valid until then (see `SimSwitch::SignInRevoked`).
    if let Some(revoked_at) = inner.revoked_at.get(&grant.user_id) {
        if grant.cae && grant.issued_at <= *revoked_at {
            return Err(claims_challenge(headers, *revoked_at, now));
        }
    }
    if !grant.scopes.iter().any(|s| {
        s.eq_ignore_ascii_case(scope)
            || s.eq_ignore_ascii_case(&scope.replace(".Read", ".ReadWrite"))
    }) {
        let message = match forbidden_code {
            "ErrorAccessDenied" => "Access is denied. Check credentials and try again.",
            "Authorization_RequestDenied" => "Insufficient privileges to complete the operation.",
            _ => "",
        };
        return Err(graph_error(
            StatusCode::FORBIDDEN,
            forbidden_code,
            message,
            now,
        ));
    }
    inner
        .tenants
        .iter()
        .flat_map(|t| &t.users)
        .find(|u| u.id == grant.user_id)
        .cloned()
        .ok_or_else(|| {
            graph_error(
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                "The user does not exist.",
                now,
            )
        })
}

/// Graph's answer to a CAE token issued before the user's sessions were revoked: 401 with a
/// claims challenge in `WWW-Authenticate` (claims-challenge.md, "Claims challenge header format";
/// app-resilience-continuous-access-evaluation.md), asking for a token issued after the
/// revocation (`nbf`). `realm` is empty, so `authorization_uri` names the common endpoint of the
/// authority, which the simulator also is.
fn claims_challenge(
    headers: &HeaderMap,
    revoked_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Response {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    let claims = json!({
        "access_token": {"nbf": {"essential": true, "value": revoked_at.timestamp().to_string()}}
    });
    let authority = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map_or("https://login.microsoftonline.com".to_string(), |host| {
            format!("http://{host}")
        });
    let challenge = format!(
        "Bearer realm=\"\", authorization_uri=\"{authority}/common/oauth2/authorize\", \
         client_id=\"00000003-0000-0000-c000-000000000000\", \
         error_description=\"Continuous access evaluation resulted in challenge with result: \
         InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp\", \
         error=\"insufficient_claims\", claims=\"{}\"",
        STANDARD.encode(claims.to_string())
    );
    let mut response = graph_error(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
        now,
    );
    if let Ok(v) = challenge.parse() {
        response.headers_mut().insert("www-authenticate", v);
    }
    response
}

/// `GET /v1.0/me` (§4.2).
pub async fn me(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    let user = match authorize(&state, &headers, "User.Read", "Authorization_RequestDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    Json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": null,
        "mail": user.mail,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "de-DE",
        "surname": user.surname,
        "userPrincipalName": user.user_principal_name,
        "id": user.id,
    }))
    .into_response()
}

/// Graph's answer to a body it cannot use (400).
fn invalid_request(state: &SimState, message: &str) -> Response {
    graph_error(
        StatusCode::BAD_REQUEST,
        "ErrorInvalidRequest",
        message,
        state.now(),
    )
}

/// The request's JSON body, or Graph's 400 for one that is not JSON.
fn json_body(state: &SimState, body: &[u8]) -> Result<serde_json::Value, Response> {
    serde_json::from_slice(body)
        .map_err(|_| invalid_request(state, "Cannot read the request body: it is not valid JSON."))
}

/// The instant of a Graph `dateTimeTimeZone` (`{"dateTime": "2026-03-29T10:00:00", "timeZone":
/// "W. Europe Standard Time"}`), or Graph's refusal of its time zone: only Windows IDs and the
/// one IANA name CLDR maps to each (territory 001) are accepted (resources/datetimetimezone.md).
fn instant(state: &SimState, value: Option<&serde_json::Value>) -> Result<DateTime<Utc>, Response> {
    let missing = || {
        invalid_request(
            state,
            "The start and end of the event need a dateTime and a timeZone.",
        )
    };
    let value = value.ok_or_else(missing)?;
    let (Some(text), Some(zone)) = (
        value.get("dateTime").and_then(|v| v.as_str()),
        value.get("timeZone").and_then(|v| v.as_str()),
    ) else {
        return Err(missing());
    };
    let Some(tz) = crate::microsoft::time_zones::graph_zone(zone) else {
        return Err(graph_error(
            StatusCode::BAD_REQUEST,
            "TimeZoneNotSupportedException",
            &format!(
                "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone}'."
            ),
            state.now(),
        ));
    };
    let local = NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| invalid_request(state, "Cannot convert the literal to a DateTime."))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(missing)
}

fn teams_join_url(tenant_id: &str, user_id: &str) -> String {
    let thread = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22{tenant_id}%22%2c%22Oid%22%3a%22{user_id}%22%7d"
    )
}

fn tenant_of(state: &SimState, user_id: &str) -> String {
    state
        .lock()
        .tenants
        .iter()
        .find(|t| t.users.iter().any(|u| u.id == user_id))
        .map(|t| t.id.clone())
        .unwrap_or_default()
}

/// `POST /v1.0/me/events` (§4.4): creates the event and "sends" the invitations; with
/// `isOnlineMeeting` and `teamsForBusiness` it carries `onlineMeeting.joinUrl`. A `transactionId`
/// seen before returns the event created then, never a second one.
pub async fn create_event(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match authorize(&state, &headers, "Calendars.ReadWrite", "ErrorAccessDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let request = match json_body(&state, &body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let transaction_id = request
        .get("transactionId")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if let Some(tx) = &transaction_id {
        let now = state.now();
        let inner = state.lock();
        let memory = inner.transaction_memory;
        if let Some(existing) = inner.events.iter().find(|e| {
            e.user_id == user.id
                && e.transaction_id.as_deref() == Some(tx)
                && memory.is_none_or(|m| e.created_at + m > now)
        }) {
            return (StatusCode::CREATED, Json(existing.json.clone())).into_response();
        }
    }
    let start = match instant(&state, request.get("start")) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let end = match instant(&state, request.get("end")) {
        Ok(t) => t,
        Err(r) => return r,
    };
    if end < start {
        return invalid_request(&state, "The end of the event is before its start.");
    }
    let attendees = request
        .get("attendees")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    if attendees.len() > 500 {
        return invalid_request(&state, "An event can have at most 500 attendees.");
    }
    let online = request.get("isOnlineMeeting").and_then(|v| v.as_bool()) == Some(true);
    let provider = request
        .get("onlineMeetingProvider")
        .and_then(|v| v.as_str())
        .unwrap_or("unknown");
    let id = format!("AAMkAD{}=", uuid::Uuid::new_v4().simple());
    let tenant = tenant_of(&state, &user.id);
    // Without a Teams licence Graph still creates the event, but with no online meeting; some
    // mailboxes give the link only on a later read, or never.
    let teams = online && provider == "teamsForBusiness" && !user.without_teams_licence;
    let link = teams.then(|| teams_join_url(&tenant, &user.id));
    let (join_url, pending_join_url) = match user.join_link {
        JoinLink::Immediate => (link, None),
        JoinLink::AfterReads(_) => (None, link),
        JoinLink::Never => (None, None),
    };
    let mut body_json = request
        .get("body")
        .cloned()
        .unwrap_or(json!({"contentType": "HTML", "content": ""}));
    if let Some(url) = &join_url {
        // Graph appends the Teams join block to the body.
        let content = body_json
            .get("content")
            .and_then(|c| c.as_str())
            .unwrap_or_default()
            .to_string();
        body_json["content"] = json!(format!(
            "{content}<div>Microsoft Teams meeting<br><a href=\"{url}\">Click here to join the meeting</a></div>"
        ));
    }
    let event = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/events/$entity",
        "id": id,
        "iCalUId": format!("040000008200E00074C5B7101A82E008{}", uuid::Uuid::new_v4().simple()),
        "transactionId": transaction_id,
        "subject": request.get("subject").cloned().unwrap_or(json!("")),
        "body": body_json,
        "start": {"dateTime": start.format("%Y-%m-%dT%H:%M:%S.0000000").to_string(), "timeZone": "UTC"},
        "end": {"dateTime": end.format("%Y-%m-%dT%H:%M:%S.0000000").to_string(), "timeZone": "UTC"},
        "originalStartTimeZone": request["start"]["timeZone"],
        "originalEndTimeZone": request["end"]["timeZone"],
        "attendees": attendees.iter().map(|a| json!({
            "type": a.get("type").cloned().unwrap_or(json!("required")),
            "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
            "emailAddress": a.get("emailAddress").cloned().unwrap_or(json!({})),
        })).collect::<Vec<_>>(),
        "organizer": {"emailAddress": {"name": user.display_name, "address": user.mail.clone().unwrap_or(user.user_principal_name.clone())}},
        "isOnlineMeeting": teams,
        "onlineMeetingProvider": if teams { "teamsForBusiness" } else { "unknown" },
        "onlineMeetingUrl": null,
        "onlineMeeting": join_url.as_ref().map(|u| json!({"joinUrl": u, "conferenceId": "291633251"})),
        "webLink": format!("https://outlook.office365.com/owa/?itemid={id}&exvsurl=1&path=/calendar/item"),
        "isCancelled": false,
    });
    let created_at = state.now();
    state.lock().events.push(SimEvent {
        id,
        user_id: user.id,
        transaction_id,
        json: event.clone(),
        starts_at: start,
        ends_at: end,
        cancelled: None,
        created_at,
        reads: 0,
        pending_join_url,
    });
    (StatusCode::CREATED, Json(event)).into_response()
}

/// Graph's 404 for an event the user's mailbox does not hold.
fn item_not_found(now: DateTime<Utc>) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
        now,
    )
}

/// `GET /v1.0/me/events/{id}` (api/event-get.md): the event; a join link that comes late shows
/// from the read its user is configured for.
pub async fn get_event(
    State(state): State<Arc<SimState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let user = match authorize(&state, &headers, "Calendars.Read", "ErrorAccessDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let now = state.now();
    let mut inner = state.lock();
    let Some(event) = inner
        .events
        .iter_mut()
        .find(|e| e.id == id && e.user_id == user.id)
    else {
        return item_not_found(now);
    };
    event.reads += 1;
    if let (JoinLink::AfterReads(n), Some(url)) = (user.join_link, &event.pending_join_url) {
        if event.reads >= n {
            event.json["onlineMeeting"] = json!({"joinUrl": url, "conferenceId": "291633251"});
        }
    }
    Json(event.json.clone()).into_response()
}

/// `GET /v1.0/me/calendar` (api/user-get-calendar.md, resources/calendar.md): whether the
/// mailbox can create Teams meetings.
pub async fn calendar(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    let user = match authorize(&state, &headers, "Calendars.Read", "ErrorAccessDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (allowed, default) = if user.without_teams_licence {
        (json!([]), "unknown")
    } else {
        (json!(["teamsForBusiness"]), "teamsForBusiness")
    };
    Json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendars/$entity",
        "id": format!("AAMkAGI2TG93AAA{}=", user.id.replace('-', "")),
        "name": "Calendar",
        "canEdit": true,
        "canShare": true,
        "isDefaultCalendar": true,
        "allowedOnlineMeetingProviders": allowed,
        "defaultOnlineMeetingProvider": default,
        "owner": {"name": user.display_name, "address": user.mail.clone().unwrap_or(user.user_principal_name.clone())},
    }))
    .into_response()
}

/// `POST /v1.0/me/events/{id}/cancel` with `{"comment": ...}`: 202, the attendees are told.
pub async fn cancel_event(
    State(state): State<Arc<SimState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match authorize(&state, &headers, "Calendars.ReadWrite", "ErrorAccessDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let comment = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.get("comment")
                .and_then(|c| c.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let now = state.now();
    let mut inner = state.lock();
    let Some(event) = inner
        .events
        .iter_mut()
        .find(|e| e.id == id && e.user_id == user.id)
    else {
        return item_not_found(now);
    };
    event.cancelled = Some(comment);
    event.json["isCancelled"] = json!(true);
    StatusCode::ACCEPTED.into_response()
}

/// `POST /v1.0/me/onlineMeetings` (§4.3): a standalone meeting, not in the calendar.
pub async fn create_online_meeting(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match authorize(&state, &headers, "OnlineMeetings.ReadWrite", "Forbidden") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let request = match json_body(&state, &body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let now = state.now();
    let tenant = tenant_of(&state, &user.id);
    let meeting = json!({
        "@odata.type": "#microsoft.graph.onlineMeeting",
        "id": format!("MSp{}", uuid::Uuid::new_v4().simple()),
        // Graph writes seven fractional digits.
        "creationDateTime": format!("{}.{:07}Z", now.format("%Y-%m-%dT%H:%M:%S"), now.timestamp_subsec_nanos() / 100),
        "startDateTime": request.get("startDateTime").cloned().unwrap_or(json!(now.to_rfc3339())),
        "endDateTime": request.get("endDateTime").cloned().unwrap_or(json!(now.to_rfc3339())),
        "subject": request.get("subject").cloned().unwrap_or(json!("")),
        "joinWebUrl": teams_join_url(&tenant, &user.id),
        "videoTeleconferenceId": format!("{}", fastrand::u64(1_000_000_000..9_999_999_999)),
        "joinMeetingIdSettings": {"isPasscodeRequired": false, "joinMeetingId": format!("{}", fastrand::u64(1_000_000_000..9_999_999_999)), "passcode": null},
        "chatInfo": {"threadId": format!("19:meeting_{}@thread.v2", uuid::Uuid::new_v4().simple()), "messageId": "0", "replyChainMessageId": "0"},
        "participants": {"organizer": {"identity": {"user": {"id": user.id, "displayName": user.display_name}}, "upn": user.user_principal_name}},
    });
    state.lock().online_meetings.push(meeting.clone());
    (StatusCode::CREATED, Json(meeting)).into_response()
}

/// `GET /v1.0/me/calendarView` (§4.6): both bounds required; pages of `$top` (default 10) with
/// `@odata.nextLink`.
pub async fn calendar_view(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
) -> Response {
    let user = match authorize(&state, &headers, "Calendars.Read", "ErrorAccessDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    let bound = |name: &str| {
        q.get(name).and_then(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S")
                        .ok()
                        .map(|n| n.and_utc())
                })
        })
    };
    let (Some(from), Some(to)) = (bound("startDateTime"), bound("endDateTime")) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
            state.now(),
        );
    };
    let top: usize = q
        .get("$top")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .clamp(1, 1000);
    let skip: usize = q.get("$skip").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut found: Vec<(DateTime<Utc>, serde_json::Value)> = state
        .lock()
        .events
        .iter()
        .filter(|e| e.user_id == user.id && e.starts_at < to && e.ends_at > from)
        .map(|e| (e.starts_at, e.json.clone()))
        .collect();
    found.sort_by_key(|(t, _)| *t);
    let page: Vec<serde_json::Value> = found
        .iter()
        .skip(skip)
        .take(top)
        .map(|(_, j)| j.clone())
        .collect();
    let mut body = json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendarView", "value": page});
    if skip + top < found.len() {
        let mut next = url::Url::parse(&format!("http://sim{}", uri)).expect("a request URI");
        let pairs: Vec<(String, String)> = next
            .query_pairs()
            .filter(|(k, _)| k != "$skip")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        next.query_pairs_mut()
            .clear()
            .extend_pairs(pairs)
            .append_pair("$skip", &(skip + top).to_string());
        let host = headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        body["@odata.nextLink"] = json!(format!(
            "http://{host}{}?{}",
            next.path(),
            next.query().unwrap_or_default()
        ));
    }
    Json(body).into_response()
}

/// `POST /v1.0/me/sendMail` (§4.5): 202 with an empty body; the message is kept.
pub async fn send_mail(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&state, &headers, "Mail.Send", "ErrorAccessDenied") {
        return r;
    }
    let request = match json_body(&state, &body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if request.get("message").is_none() {
        return invalid_request(&state, "The request body must contain a message.");
    }
    state.lock().sent_mail.push(request);
    StatusCode::ACCEPTED.into_response()
}
