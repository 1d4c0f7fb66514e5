//! Large ingests as jobs: a `POST /v1/articles` body of more than
//! [`crate::Config::job_threshold`] records (or any body with `?job=true`)
//! is answered at once with 202 and a job, stored chunk by chunk on a
//! worker thread, and followed at `GET /v1/jobs/{id}`: its progress while
//! it runs, every record's result when it is done.
//!
//! Each chunk of [`CHUNK`] records is one atomic batch of the store, so a
//! crash loses at most the chunk in flight, and posting the same body again
//! stores only what is missing (stored articles come back `unchanged`).
//! Jobs themselves are kept in memory: a restart forgets them, not their
//! articles.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{IngestCounts, RecordResult};
use crate::query::now;

/// Records stored per atomic batch of a job.
pub const CHUNK: usize = 500;

/// Finished jobs kept for reading; the oldest go first.
const KEEP_FINISHED: usize = 100;

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Storing.
    Running,
    /// Every record handled (see the counts for errors and conflicts).
    Done,
    /// Stopped by a store failure: the chunks before it are stored.
    Failed,
}

/// A job as `GET /v1/jobs/{id}` shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct JobStatus {
    /// Its id.
    pub id: u64,
    /// Where it stands.
    pub state: JobState,
    /// Records in the body.
    pub total: usize,
    /// Records handled so far.
    pub processed: usize,
    /// Counts of the records handled so far.
    pub counts: IngestCounts,
    /// When it started (RFC 3339, UTC).
    pub started: String,
    /// When it ended, once it has.
    pub finished: Option<String>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// Every record's result, in body order, once it is done.
    pub results: Option<Vec<RecordResult>>,
}

/// The jobs of this server.
#[derive(Debug, Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, JobStatus>>,
}

impl Jobs {
    /// Starts a job of `total` records and returns its status.
    pub fn start(&self, total: usize) -> JobStatus {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let status = JobStatus {
            id,
            state: JobState::Running,
            total,
            processed: 0,
            counts: IngestCounts::default(),
            started: now(),
            finished: None,
            error: None,
            results: None,
        };
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.insert(id, status.clone());
        // Forget the oldest finished jobs beyond the ones kept.
        let finished: Vec<u64> = jobs
            .values()
            .filter(|j| j.state != JobState::Running)
            .map(|j| j.id)
            .collect();
        for old in finished
            .iter()
            .take(finished.len().saturating_sub(KEEP_FINISHED))
        {
            jobs.remove(old);
        }
        status
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut JobStatus)) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(j) = jobs.get_mut(&id) {
            f(j);
        }
    }

    /// Records the progress of a running job.
    pub fn progress(&self, id: u64, processed: usize, counts: IngestCounts) {
        self.update(id, |j| {
            j.processed = processed;
            j.counts = counts;
        });
    }

    /// Ends a job: done with every result, or failed with why.
    pub fn finish(&self, id: u64, outcome: Result<Vec<RecordResult>, String>) {
        self.update(id, |j| {
            j.finished = Some(now());
            match outcome {
                Ok(results) => {
                    j.state = JobState::Done;
                    j.processed = results.len();
                    j.counts = IngestCounts::of(&results);
                    j.results = Some(results);
                }
                Err(e) => {
                    j.state = JobState::Failed;
                    j.error = Some(e);
                }
            }
        });
    }

    /// How many jobs are running.
    pub fn running(&self) -> usize {
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.values()
            .filter(|j| j.state == JobState::Running)
            .count()
    }

    /// A job's status.
    pub fn get(&self, id: u64) -> Option<JobStatus> {
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.get(&id).cloned()
    }
}

/// Shared by the handlers.
pub type SharedJobs = Arc<Jobs>;
