//! Per-request overhead of a generated client against a hand-written
//! reqwest + serde call doing the same thing (same URL, header, body, and
//! decoding), both talking to the same minimal HTTP/1.1 server on
//! 127.0.0.1, interleaved in batches so that drift in the machine's state
//! hits both alike. A plain harness: run by `cargo xtask bench`, or
//! `cargo bench -p agent-clients --bench request_overhead`. The last line is
//! `BENCH_JSON {...}`.

use std::time::{Duration, Instant};

use agent_clients::ravan;
use agent_clients::runtime::{ClientConfig, RetryPolicy};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const RESPONSE_BODY: &str = r#"{"success":true,"message":"Agent status updated successfully","data":{"id":"agent-1","status":"AGENT_STATUS_INACTIVE","name":"Support","temperature":0.7}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with the same
/// JSON body: as little server work as possible, so the clients dominate.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{RESPONSE_BODY}",
                RESPONSE_BODY.len()
            );
            let mut buffer = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                // Read one request: headers, then content-length bytes.
                let header_end = loop {
                    if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break end + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                };
                let headers = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
                let length: usize = headers
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|value| value.trim().parse().ok())
                    .unwrap_or(0);
                while buffer.len() < header_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                buffer.drain(..header_end + length);
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[derive(Serialize)]
struct HandRequest<'a> {
    status: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandAgent {
    id: Option<String>,
    status: Option<String>,
    name: Option<String>,
    temperature: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandResponse {
    success: Option<bool>,
    message: Option<String>,
    data: Option<HandAgent>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(serve(listener));

        let generated = ravan::Client::with_config(&base, "bench-key", ClientConfig::default().retry(RetryPolicy::disabled())).unwrap();
        let body = ravan::types::UpdateAgentStatusRequest {
            status: Some(ravan::types::AgentStatus::AgentStatusInactive),
        };
        // Configured like the generated client's default (timeouts and user
        // agent): a production hand-written client would set them too, and
        // a per-request timeout costs a timer registration.
        let hand = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent("hand-written/1.0")
            .build()
            .unwrap();
        let hand_url = format!("{base}/api/v1/agents/agent-1/status/");

        let batches: usize = std::env::var("AGENT_CLIENTS_BENCH_BATCHES").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        let per_batch = 100;
        // Side 0: the generated client. Side 1: hand-written reqwest + serde
        // decoding into the same documented types (the client machinery's
        // own overhead). Side 2: hand-written, decoding into a minimal struct
        // of the four fields the body has (what skipping the documented
        // 30-field agent type saves).
        let names = ["generated client", "hand-written, same types", "hand-written, minimal struct"];
        let mut times: [Vec<Duration>; 3] = Default::default();
        let mut totals = [Duration::ZERO; 3];
        // Per round, the generated side's throughput over each hand-written
        // side's: the median of these is robust to bursts of noise from a
        // shared machine hitting one side of one round.
        let mut round_ratios: [Vec<f64>; 2] = Default::default();
        let hand_call = || async {
            let response = hand
                .patch(&hand_url)
                .header("x-api-key", "bench-key")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(serde_json::to_vec(&HandRequest { status: "AGENT_STATUS_INACTIVE" }).unwrap())
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            response.bytes().await.unwrap()
        };
        // Warm the connection pools first.
        for _ in 0..50 {
            generated.update_agent_status("agent-1", &body).await.unwrap();
            hand_call().await;
        }
        for batch in 0..batches {
            let mut round = [Duration::ZERO; 3];
            // Rotate which side goes first, so none always runs on a freshly
            // idle machine.
            for offset in 0..3 {
                let side = (batch + offset) % 3;
                let started = Instant::now();
                for _ in 0..per_batch {
                    let one = Instant::now();
                    match side {
                        0 => {
                            let response = generated.update_agent_status("agent-1", &body).await.unwrap();
                            assert_eq!(response.success, Some(true));
                        }
                        1 => {
                            let bytes = hand_call().await;
                            let parsed: ravan::types::UpdateAgentStatusResponse = serde_json::from_slice(&bytes).unwrap();
                            assert_eq!(parsed.success, Some(true));
                        }
                        _ => {
                            let bytes = hand_call().await;
                            let parsed: HandResponse = serde_json::from_slice(&bytes).unwrap();
                            assert_eq!(parsed.success, Some(true));
                        }
                    }
                    times[side].push(one.elapsed());
                }
                totals[side] += started.elapsed();
                round[side] = started.elapsed();
            }
            // Throughput ratio = inverse time ratio.
            round_ratios[0].push(round[1].as_secs_f64() / round[0].as_secs_f64());
            round_ratios[1].push(round[2].as_secs_f64() / round[0].as_secs_f64());
        }
        for ratios in round_ratios.iter_mut() {
            ratios.sort_by(|a, b| a.total_cmp(b));
        }
        let median_same = round_ratios[0][round_ratios[0].len() / 2];
        let median_minimal = round_ratios[1][round_ratios[1].len() / 2];
        let count = (batches * per_batch) as f64;
        let micros = |d: Duration| d.as_secs_f64() * 1e6;
        let mut report = serde_json::Map::new();
        let mut rps = [0.0; 3];
        for side in 0..3 {
            times[side].sort();
            rps[side] = count / totals[side].as_secs_f64();
            println!(
                "{}: p50 {:.1} us, p99 {:.1} us, {:.0} requests/s",
                names[side],
                micros(percentile(&times[side], 0.5)),
                micros(percentile(&times[side], 0.99)),
                rps[side]
            );
            report.insert(
                ["generated", "hand_same_types", "hand_minimal"][side].to_string(),
                serde_json::json!({"p50_us": micros(percentile(&times[side], 0.5)), "p99_us": micros(percentile(&times[side], 0.99)), "rps": rps[side]}),
            );
        }
        println!(
            "throughput ratio generated / hand-written with the same types: {:.3} overall, {median_same:.3} median of {batches} rounds",
            rps[0] / rps[1]
        );
        println!(
            "throughput ratio generated / hand-written with a minimal struct: {:.3} overall, {median_minimal:.3} median of {batches} rounds",
            rps[0] / rps[2]
        );
        println!("({count} requests per side, sequential, batches of {per_batch} interleaved)");
        report.insert("requests_each".into(), serde_json::json!(count));
        report.insert("ratio_same_types".into(), serde_json::json!(median_same));
        report.insert("ratio_minimal".into(), serde_json::json!(median_minimal));
        report.insert("ratio_same_types_overall".into(), serde_json::json!(rps[0] / rps[1]));
        report.insert("ratio_minimal_overall".into(), serde_json::json!(rps[0] / rps[2]));
        println!("BENCH_JSON {}", serde_json::Value::Object(report));
    });
}
