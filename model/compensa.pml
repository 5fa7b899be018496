/*
 * Compensa's apply / journal / recover protocol, as a Promela model for spin.
 *
 * docs/protocol-model.md says what is modelled and what is abstracted away, maps every step below to
 * the Java class and method that performs it and to its crash point (COMPENSA_CRASH_AT), and gives
 * the bounds and the figures of the last check. model/check generates, compiles and runs the
 * verifier, exhaustively, for each configuration, and runs the mutants that must be caught.
 *
 * Configuration (-D macros; model/check sets them):
 *   KIND0, KIND1     CREATE or DELETE: the kinds of the plan's two actions (run in parallel)
 *   POL0, POL1       P_NONE, P_INVERSE or P_PLUGIN: each type's compensation policy for that kind
 *   READS            1 when the types serve Read (else a forward call is repeated with the same
 *                    action id after a plugin crash, and a lost answer is settled by running again)
 *   ROLLBACK         1 for --on-failure rollback (else continue; stop is the same for two
 *                    independent actions that both start at once)
 *   FINALIZER        1 when the plugin serves FinalizeApply and may amend action 0 to COMPENSATED
 *   MAXCRASH         host crashes in one execution (during the apply and during recover)
 *   MAXPCRASH        plugin crashes (the plugin is relaunched; the call's effect may or may not land)
 *   MAXDERR          driver errors (a non-retryable failure without effect)
 *   MAXATT           attempts of a call that retries crashes (compensation, Read, FinalizeApply,
 *                    and the forward call of a type without Read)
 * Mutants (each must be caught; model/check fails if one is not):
 *   MUTANT_CALL_BEFORE_INTENT  the driver call is made before its intent is forced
 *   MUTANT_NO_READ             a forward call whose plugin crashed is taken as not done, without Read
 *   MUTANT_NEW_ID              recover runs an unsettled action again under a new action id
 *   MUTANT_IGNORE_READ_BACK    recover ignores a journaled "Read back: Create" (F1's fix, part a, undone)
 *   MUTANT_NO_RETRY_WITHOUT_READ  a type without Read gets its forward call's crash taken as not done,
 *                              without repeating the call (F3's fix undone)
 * A change that is NOT caught (docs/protocol-model.md says why; not run by model/check):
 *   MUTANT_NO_SETTLE_PRIOR     recover re-runs an action Read shows undone without settling its record
 *                              to the prior one first (F1's fix, part b, undone)
 * Plugin variants (not mutants of the engine):
 *   FIN_FORGETS                breaks the contract of docs/protocol.md: a repeated FinalizeApply no
 *                              longer names its amendment (F2); must be caught, which shows what the
 *                              engine relies on
 *   LEDGER_RETURNS_GONE        a repeated Create returns what it made even when it is gone since (one
 *                              reading of protocol.md's "returns that resource"); holds since F1's fix
 *   REPEAT_MAY_FAIL            the repeat of a call that took effect may fail
 */

#define CREATE 1
#define DELETE 2

#define P_NONE 0
#define P_INVERSE 1
#define P_PLUGIN 2

#ifndef KIND0
#define KIND0 CREATE
#endif
#ifndef KIND1
#define KIND1 DELETE
#endif
#ifndef POL0
#define POL0 P_INVERSE
#endif
#ifndef POL1
#define POL1 P_PLUGIN
#endif
#ifndef READS
#define READS 1
#endif
#ifndef ROLLBACK
#define ROLLBACK 0
#endif
#ifndef FINALIZER
#define FINALIZER 0
#endif
#ifndef MAXCRASH
#define MAXCRASH 2
#endif
#ifndef MAXPCRASH
#define MAXPCRASH 1
#endif
#ifndef MAXDERR
#define MAXDERR 1
#endif
#ifndef MAXATT
#define MAXATT 2
#endif
#ifndef JL
#define JL 24
#endif
#define JMAX (3 * JL)

#define KIND(a) (a == 0 -> KIND0 : KIND1)
#define POL(a) (a == 0 -> POL0 : POL1)

/* The objects of a resource, as bits: the world holds a set of them, a record names a set. */
#define O_INIT 1   /* existed before the apply: the prior record of a DELETE */
#define O_FWD 2    /* made by the forward Create under the action's id */
#define O_COMP 4   /* made by a compensation (Create under "<id>/compensate", or the plugin's own) */
#define O_ROGUE 8  /* made by a Create under another action id (only a mutant does this) */

/* Action ids a call carries (bits, so that the plugin can keep the set it has seen). */
#define ID_ACTION 1   /* the plan action's id */
#define ID_COMP 2     /* "<id>/compensate" */
#define ID_OTHER 4    /* any other id */

/* Calls (the call names of JournalCall.call). */
#define C_FWD 1      /* "Create" / "Delete": the forward driver call */
#define C_READ 2     /* "Read (recover)" */
#define C_INV 3      /* "Delete (compensation)" / "Create (compensation)": HostInverse */
#define C_COMP 4     /* "Compensate": PluginCompensation */
#define C_CONFIRM 5  /* "Read (confirm compensation)" */
#define C_FIN 6      /* "FinalizeApply" (action id "": a = 2 here) */
#define C_RB 7       /* "Read back: Create": the forward answer that Read supplied (ReadBack) */

/* Answers of a call. */
#define A_OK 1
#define A_ERR 2
#define A_CRASH 3

/* ActionStatus numbers. */
#define S_SUCCESS 1
#define S_ERROR 2
#define S_DELETE_FAILED 3
#define S_COMPENSATED 4
#define S_COMPENSATION_FAILED 5
#define S_SKIPPED 6

/* Journal record types (JournalRecord). */
#define R_INTENT 1
#define R_SUCC 2
#define R_FAIL 3
#define R_HOOKFAIL 4
#define R_STATE 5
#define R_OUTCOME 6
#define R_FINALIZED 7
#define R_COMPLETE 8

/* ---------------------------------------------------------------- the world (the plugin's side) */
byte world[2];      /* objects that exist, per resource (resource r belongs to action r) */
bit made[2];        /* the plugin's ledger: the forward Create of action r was done */
bit madeComp[2];    /* the ledger of "<id>/compensate" Creates and Compensate recreations */
byte fwdIds[2];     /* the ids the forward effect of resource r was asked under */
bit pluginCalled[2];/* some call of action r reached the plugin */
byte tookEffect[2]; /* the calls (bit 1 << c) of action r that took effect, for idempotent repeats */
byte finAmend;      /* FinalizeApply's amendment of action 0: 0 not asked yet, 1 made, 2 none */
#ifdef FIN_FORGETS
bit finAnswered;    /* FIN_FORGETS: the plugin named its amendment once already */
#endif
byte pcrashes;
byte derrs;

/* ---------------------------------------------------------------- durable: journal and store */
byte jt[JMAX];      /* record type */
byte ja[JMAX];      /* action (resource) index; 2 for FinalizeApply */
byte jc[JMAX];      /* call */
byte jv[JMAX];      /* call output / state record / outcome status * 16 + record */
byte jlen[3];       /* records appended, per lane (lane a: action a's records; lane 2: the apply's) */
byte jforced[3];    /* records forced to disk, per lane */
byte store[2];      /* the state store's records */
bit storeFinished;  /* the store's last write finished this apply (StateSnapshot.finished_apply) */
byte storeOut[2];   /* ... with these outcomes */

/* ---------------------------------------------------------------- the host's memory */
bit crashed;
byte crashes;
byte mem[2];        /* WorkingState */
byte outc[2];       /* the outcomes map (Scheduler / Recovery) */
byte actDone;
byte ended;         /* Action processes that have ended */
bit hostEnded;      /* the apply's (or recover's) process has ended */

/* ---------------------------------------------------------------- invariants */
#define INV(name, cond) \
  if \
  :: !(cond) -> printf("INVARIANT BROKEN: "); printf(name); printf("\n"); assert(false) \
  :: else -> skip \
  fi

/* ---------------------------------------------------------------- journal */
/* Appends a record of action a (2: the apply's own) to lane l. The journal is one file; the model
 * keeps one lane per action (and one for the apply's own records) so that the order in which two
 * parallel actions' records interleave is not part of the state. Recover reads each action's
 * records in order, so only the order within a lane matters, except for FinalizeApply: its
 * amendment is therefore journaled in the apply's lane, before its "finalized" record. */
inline jappendL(ln, rt, ra, rc, rv) {
  INV("journal-bound (raise JL)", jlen[ln] < JL);
  jt[ln * JL + jlen[ln]] = rt; ja[ln * JL + jlen[ln]] = ra; jc[ln * JL + jlen[ln]] = rc; jv[ln * JL + jlen[ln]] = rv;
  jlen[ln]++
}

#define jappend(t, a, c, v) jappendL(a, t, a, c, v)

/* GroupedForce: a force makes every record appended so far durable. */
inline jforce() {
  jforced[0] = jlen[0]; jforced[1] = jlen[1]; jforced[2] = jlen[2]
}

/* A crash keeps a prefix of each lane that holds at least its forced records. */
inline truncLane(l) {
  do
  :: jlen[l] > jforced[l] ->
       jlen[l]--; jt[l * JL + jlen[l]] = 0; ja[l * JL + jlen[l]] = 0; jc[l * JL + jlen[l]] = 0; jv[l * JL + jlen[l]] = 0
  :: true -> break
  od
}

/* A host crash: the host's processes stop, its memory is gone, and the journal keeps a prefix that
 * holds at least every forced record (a process crash keeps all that was written, a power loss only
 * what was forced; anything in between is possible). */
inline crash_now() {
  crashes++;
  truncLane(0); truncLane(1); truncLane(2);
  mem[0] = 0; mem[1] = 0; outc[0] = 0; outc[1] = 0; actDone = 0;
  crashed = 1   /* last: every host process's unless-escape fires on it, this one's at once */
}

/* A crash point: COMPENSA_CRASH_AT=<name> in the engine. */
#define CRASH(name) \
  if \
  :: crashes < MAXCRASH -> atomic { printf("CRASH AT: "); printf(name); printf("\n"); crash_now() } \
  :: true -> skip \
  fi

/* ---------------------------------------------------------------- the plugin */

/* The effect of call c of action a, idempotent on the id it carries; sets out. */
inline effect(a, c, id) {
  if :: a < 2 -> pluginCalled[a] = 1; tookEffect[a] = tookEffect[a] | (1 << c) :: else -> skip fi;
  if
  :: c == C_FWD && KIND(a) == CREATE ->
       fwdIds[a] = fwdIds[a] | id;
       if
       :: id == ID_ACTION ->
            if
            :: !made[a] -> made[a] = 1; world[a] = world[a] | O_FWD
#ifdef LEDGER_RETURNS_GONE
            :: else -> skip   /* the same id again: what it made, even when it is gone since */
#else
            :: else -> world[a] = world[a] | O_FWD   /* the same id: that resource, made again if gone (go-kv) */
#endif
            fi;
            out = O_FWD
       :: else -> world[a] = world[a] | O_ROGUE; out = O_ROGUE
       fi
  :: c == C_FWD && KIND(a) == DELETE ->
       fwdIds[a] = fwdIds[a] | id;
       world[a] = world[a] & ~O_INIT; out = 0   /* deleting what is gone succeeds */
  :: c == C_READ && KIND(a) == CREATE -> out = world[a] & O_FWD   /* found by the action id */
  :: c == C_READ && KIND(a) == DELETE -> out = world[a] & O_INIT  /* by the prior provider id */
  :: c == C_INV && KIND(a) == CREATE -> world[a] = world[a] & ~O_FWD; out = 0
  :: c == C_INV && KIND(a) == DELETE ->
       if
       :: !madeComp[a] -> madeComp[a] = 1; world[a] = world[a] | O_COMP
       :: else -> skip
       fi;
       out = O_COMP
  :: c == C_COMP && KIND(a) == CREATE -> world[a] = world[a] & ~O_FWD; out = 0
  :: c == C_COMP && KIND(a) == DELETE ->
       if
       :: !madeComp[a] -> madeComp[a] = 1; world[a] = world[a] | O_COMP
       :: else -> skip
       fi;
       out = O_COMP   /* CompensateResponse.remaining: the recreated object */
  :: c == C_CONFIRM -> out = world[a] & O_FWD
  :: c == C_FIN ->
       /* FinalizeApply (a = 2): the plugin may have rolled back the deferred work of action 0,
        * a SUCCESS create of its own, and amends it to COMPENSATED */
       if
       :: finAmend == 0 && KIND0 == CREATE && outc[0] == S_SUCCESS && (world[0] & O_FWD) ->
            if
            :: finAmend = 1; world[0] = world[0] & ~O_FWD
            :: finAmend = 2
            fi
       :: finAmend == 0 -> finAmend = 2
       :: else -> skip
       fi;
#ifdef FIN_FORGETS
       out = (finAmend == 1 && !finAnswered -> 1 : 0);
       finAnswered = 1
#else
       out = (finAmend == 1 -> 1 : 0)
#endif
  :: else -> assert(false)
  fi
}

/* A call may fail with a driver error unless it repeats one that took effect: an idempotent plugin
 * answers a repeat as it answered the first (docs/protocol.md, Idempotency). */
#ifdef REPEAT_MAY_FAIL
#define MAY_FAIL(a, c) 1
#else
#define MAY_FAIL(a, c) (a == 2 || !(tookEffect[a] & (1 << c)))
#endif

/* The plugin process serves each call atomically, handed over by rendezvous (a call is one step):
 * done, a driver error (no effect), or a crash before or after the effect (the endpoint relaunches
 * the plugin). */
chan req = [0] of { byte, byte, byte };
chan rsp = [0] of { byte, byte };

active proctype Plugin() {
  byte a, c, id, ans, out;
end:
  do
  :: atomic {
       req?a, c, id ->
       if
       :: true -> effect(a, c, id); ans = A_OK
       :: derrs < MAXDERR && (c == C_FWD || c == C_INV || c == C_COMP) && MAY_FAIL(a, c) ->
            derrs++; ans = A_ERR; out = 0
       :: pcrashes < MAXPCRASH ->
            pcrashes++;
            if
            :: effect(a, c, id)
            :: true -> skip
            fi;
            ans = A_CRASH; out = 0
       fi;
       rsp!ans, out;
       a = 0; c = 0; id = 0; ans = 0; out = 0
     }
  od
}

/* ---------------------------------------------------------------- DriverCalls.call */

/* Whether an intent of call c of action a is in the durable part of the journal. */
inline intentDurable(a, c) {
  i = 0; durable = 0;
  do
  :: i < jforced[a] -> if :: jt[a * JL + i] == R_INTENT && jc[a * JL + i] == c -> durable = 1 :: else fi; i++
  :: else -> break
  od;
  i = 0
}

/* Makes call c of action a under id; retries crashes when retry (not the forward call: the caller
 * asks Read). Leaves ans and out. */
inline drvcall(a, c, id, retry) {
  attempt = 1;
  do
  :: true ->
#ifdef MUTANT_CALL_BEFORE_INTENT
       atomic { !crashed -> jappend(R_INTENT, a, c, 0) };
       CRASH("call.intent-journaled");
#else
       atomic { !crashed -> jappend(R_INTENT, a, c, 0); jforce() };
       CRASH("call.intent-journaled");
#endif
       atomic {
         !crashed ->
#ifndef MUTANT_CALL_BEFORE_INTENT
         intentDurable(a, c);
         INV("intent-before-call", durable);
         durable = 0;
#endif
         req!a, c, id;
         rsp?ans, out
       };
       CRASH("call.returned");
       atomic {
         !crashed ->
         if
         :: ans == A_OK -> jappend(R_SUCC, a, c, out)
         :: else -> jappend(R_FAIL, a, c, 0)
         fi
#ifdef MUTANT_CALL_BEFORE_INTENT
         ; jforce()
#endif
       };
       CRASH("call.result-journaled");
       if
       :: ans == A_CRASH && retry && attempt < MAXATT -> attempt++
       :: else -> attempt = 0; break
       fi
  od
}

/* ---------------------------------------------------------------- ReadBack.tookEffect */

/* Leaves found (1: the forward call of a took effect) and out (its output). A Create's answer that
 * Read supplied is journaled as "Read back: Create" with its output (not forced: the next force, the
 * state record of the persistence step or a compensation's intent, makes it durable), so that recover
 * takes it as the forward call's answer (F1's fix, part a). */
inline readBack(a) {
  found = 0;
  if
  :: READS ->
       drvcall(a, C_READ, ID_ACTION, 1);
       atomic {
         !crashed ->
         if
         :: ans == A_OK && KIND(a) == CREATE ->
              found = (out != 0); out = O_FWD;
              if :: found -> jappend(R_SUCC, a, C_RB, O_FWD) :: else fi
         :: ans == A_OK && KIND(a) == DELETE -> found = (out == 0); out = 0
         :: else -> skip
         fi
       }
  :: else -> skip
  fi
}

/* ---------------------------------------------------------------- ActionCompensator.undo */

/* Undoes action a whose forward call took effect; applied is the record it left. Leaves st and
 * after (the record that matches the world afterwards). */
inline undo(a, applied) {
  if
  :: KIND(a) == CREATE && POL(a) == P_INVERSE ->
       drvcall(a, C_INV, ID_COMP, 1);
       if
       :: ans == A_OK -> st = S_COMPENSATED; after = 0
       :: else -> st = S_COMPENSATION_FAILED; after = applied
       fi
  :: KIND(a) == CREATE && POL(a) == P_PLUGIN ->
       drvcall(a, C_COMP, ID_ACTION, 1);
       if
       :: ans == A_OK && READS ->
            /* PluginCompensation.confirmGone */
            drvcall(a, C_CONFIRM, ID_ACTION, 1);
            if
            :: ans == A_OK && out == 0 -> st = S_COMPENSATED; after = 0
            :: else -> st = S_COMPENSATION_FAILED; after = applied
            fi
       :: ans == A_OK && !READS -> st = S_COMPENSATED; after = 0
       :: else -> st = S_COMPENSATION_FAILED; after = applied
       fi
  :: KIND(a) == DELETE && POL(a) == P_INVERSE ->
       drvcall(a, C_INV, ID_COMP, 1);
       if
       :: ans == A_OK -> st = S_COMPENSATED; after = out
       :: else -> st = S_COMPENSATION_FAILED; after = 0
       fi
  :: KIND(a) == DELETE && POL(a) == P_PLUGIN ->
       drvcall(a, C_COMP, ID_ACTION, 1);
       if
       :: ans == A_OK -> st = S_COMPENSATED; after = out
       :: else -> st = S_COMPENSATION_FAILED; after = 0
       fi
  :: POL(a) == P_NONE -> st = S_COMPENSATION_FAILED; after = applied
  fi
}

/* ResourceRecords.settle: the record set and made durable (the journal keeps the state). */
inline settle(a, rec) {
  atomic { !crashed -> mem[a] = rec; jappend(R_STATE, a, 0, rec); jforce() }
}

/* ---------------------------------------------------------------- PostDriverSteps.run */

/* The steps after action a's forward call took effect, leaving applied; leaves st. */
inline steps(a, applied) {
  /* output validation and secrets routing: either may fail before the record is persisted */
  atomic {
    !crashed ->
    app = applied;
    mem[a] = app;
    if
    :: fail = 0
    :: fail = 1   /* validation or secrets routing failed */
    fi
  };
  if
  :: fail == 0 ->
       /* state persistence: the record, durably, in the journal that keeps the state */
       atomic { !crashed -> jappend(R_STATE, a, 0, app); jforce() };
       CRASH("steps.record-persisted");
       /* the embedder's hooks and the operator's command hooks */
       CRASH("steps.hook-running");
       atomic {
         !crashed ->
         if
         :: fail = 0
         :: fail = 1   /* a hook failed */
         fi
       }
  :: else -> skip
  fi;
  if
  :: fail == 0 -> st = S_SUCCESS
  :: else ->
       atomic { !crashed -> jappend(R_HOOKFAIL, a, 0, 0) };
       CRASH("steps.hook-failure-journaled");
       undo(a, app);
       settle(a, after);
       CRASH("steps.compensated")
  fi
}

/* ---------------------------------------------------------------- ActionExecutor.execute */

/* The forward driver call (ActionExecutor.forward). A type that serves Read: after a plugin crash, Read
 * tells whether it took effect (afterCrash). A type without Read: the call is repeated with the same
 * action id after a plugin crash (DriverCalls.call, idempotent by contract), F3's fix; a crash on
 * every attempt leaves "cannot tell". Leaves ans (A_OK when it took effect) and out. */
inline forward(a, id) {
#ifdef MUTANT_NO_RETRY_WITHOUT_READ
  drvcall(a, C_FWD, id, 0);
#else
  drvcall(a, C_FWD, id, !READS);
#endif
  if
  :: ans == A_CRASH ->
#ifdef MUTANT_NO_READ
       found = 0;
#else
       readBack(a);
#endif
       if
       :: found -> ans = A_OK
       :: else -> ans = A_CRASH   /* not done, or nobody can tell */
       fi
  :: else -> skip
  fi
}

/* The post-driver steps when the forward call took effect, else the action failed. */
inline stepsOrFailed(a) {
  if
  :: ans == A_OK -> steps(a, out)
  :: else -> st = (KIND(a) == DELETE -> S_DELETE_FAILED : S_ERROR)
  fi
}

/* Journals action a's outcome (with the record it leaves) and puts it in the outcomes map. The
 * locals no later step reads are cleared, so that their stale values do not multiply the states. */
inline journalOutcome(a) {
  atomic {
    !crashed ->
    jappend(R_OUTCOME, a, 0, st * 16 + mem[a]);
    INV("one-outcome-per-action", outc[a] == 0);
    outc[a] = st;
    ans = 0; out = 0; after = 0; fail = 0; app = 0; found = 0
  };
  CRASH("action.outcome-journaled")
}

/* ---------------------------------------------------------------- one action of the apply */

proctype Action(byte a) {
  byte ans, out, st, after, fail, attempt, i, app;
  bit found, durable;
  {
    forward(a, ID_ACTION);
    stepsOrFailed(a);
    journalOutcome(a);
    atomic { !crashed -> actDone++ }
  } unless { crashed };
  atomic { ans = 0; out = 0; st = 0; after = 0; fail = 0; attempt = 0; i = 0; app = 0; found = 0; durable = 0; ended++ }
}

/* ---------------------------------------------------------------- ApplyRun.finish */

inline finish() {
  /* the rollback cascade (RollbackCascade), later actions first */
  if
  :: ROLLBACK && (outc[0] != S_SUCCESS || outc[1] != S_SUCCESS) ->
       a = 2;
       do
       :: a > 0 ->
            a--;
            if
            :: outc[a] == S_SUCCESS && (KIND(a) == DELETE || mem[a] != 0) ->
                 undo(a, mem[a]);
                 settle(a, after);
                 CRASH("steps.compensated");
                 atomic {
                   !crashed ->
                   jappend(R_OUTCOME, a, 0, st * 16 + mem[a]);
                   outc[a] = st
                 };
                 CRASH("action.outcome-journaled")
            :: else -> skip
            fi
       :: else -> break
       od
  :: else -> skip   /* DeferredDeletes: no create-before-delete replace in this model */
  fi;
  /* Finalization: FinalizeApply once, unless the journal says it answered */
  if
  :: FINALIZER && !jfin ->
       drvcall(2, C_FIN, ID_ACTION, 1);
       if
       :: ans == A_OK && out == 1 && outc[0] == S_SUCCESS ->
            /* an amendment: the record goes back to the prior entry, the outcome COMPENSATED */
            settle(0, 0);
            atomic {
              !crashed ->
              jappendL(2, R_OUTCOME, 0, 0, S_COMPENSATED * 16 + mem[0]);
              outc[0] = S_COMPENSATED
            }
       :: else -> skip
       fi;
       atomic { !crashed -> if :: ans == A_OK -> jappend(R_FINALIZED, 2, 0, 0) :: else fi };
       CRASH("apply.finalized")
  :: else -> skip
  fi;
  /* invariant 1 (ApplyRun.checkInvariant), state.finished and the checkpoint */
  atomic {
    !crashed ->
    INV("one-outcome-per-action", outc[0] != 0 && outc[1] != 0);
    store[0] = mem[0]; store[1] = mem[1];
    storeOut[0] = outc[0]; storeOut[1] = outc[1];
    storeFinished = 1
  };
  CRASH("apply.state-written");
  atomic { !crashed -> jappend(R_COMPLETE, 2, 0, 0); jforce() };
  CRASH("apply.journal-completed")
}

/* ---------------------------------------------------------------- the apply */

proctype Apply() {
  byte ans, out, st, after, fail, attempt, i, a, app;
  bit found, jfin, durable;
  {
    atomic { run Action(0); run Action(1) };
    (actDone == 2);
    jfin = 0;
    finish()
  } unless { crashed };
  (ended == 2);
  ended = 0;
  hostEnded = 1
}

/* ---------------------------------------------------------------- recover */

proctype Recover() {
  byte ans, out, st, after, fail, attempt, i, a, fwd, app;
  bit found, jfin, durable, calls, hookFail, fwdDone, comp, answered;
  {
    /* LeftoverProcesses.awaitGone: a call of the dead host's ends before recover asks (here a
     * call is one step, so none is left in flight) */
    if
    :: storeFinished ->
         /* finishedInTheState: close the journal, settle nothing again */
         atomic { !crashed -> jappend(R_COMPLETE, 2, 0, 0); jforce() };
         CRASH("apply.journal-completed")
    :: else ->
         /* the records the state persistence steps journaled, then each journaled outcome's */
         d_step {
           mem[0] = store[0]; mem[1] = store[1];
           i = 0;
           do
           :: i < JMAX -> if :: i % JL < jlen[i / JL] && jt[i] == R_STATE -> mem[ja[i]] = jv[i] :: else fi; i++
           :: else -> break
           od;
           i = 0;
           do
           :: i < JMAX ->
                if
                :: i % JL >= jlen[i / JL] -> skip
                :: jt[i] == R_OUTCOME -> outc[ja[i]] = jv[i] / 16; mem[ja[i]] = jv[i] % 16
                :: jt[i] == R_FINALIZED -> jfin = 1
                :: else
                fi;
                i++
           :: else -> break
           od;
           i = 0
         };
         atomic { !crashed -> store[0] = mem[0]; store[1] = mem[1] };
         CRASH("recover.records-written");
         /* InterruptedActions, in topological order */
         a = 0;
         do
         :: a < 2 && outc[a] != 0 -> a++
         :: a < 2 && outc[a] == 0 ->
              d_step {
                calls = 0; hookFail = 0; fwd = 0; fwdDone = 0; i = 0;
                do
                :: i < JMAX ->
                     if
                     :: ja[i] != a || i % JL >= jlen[i / JL] -> skip
                     :: ja[i] == a && jt[i] == R_INTENT -> calls = 1
                     :: ja[i] == a && jt[i] == R_HOOKFAIL -> hookFail = 1
                     :: ja[i] == a && jt[i] == R_SUCC && jc[i] == C_FWD ->
                          fwdDone = 1;
                          if :: jv[i] != 0 -> fwd = jv[i] :: else fi
#ifndef MUTANT_IGNORE_READ_BACK
                     :: ja[i] == a && jt[i] == R_SUCC && jc[i] == C_RB && jv[i] != 0 ->
                          fwd = jv[i]   /* forwardOutput: the answer Read supplied stands for the call's */
#endif
                     :: else
                     fi;
                     i++
                :: else -> break
                od;
                i = 0
              };
              comp = hookFail && (fwd != 0 || KIND(a) == DELETE);
              answered = fwd != 0 || (KIND(a) == DELETE && fwdDone);
              if
              :: !calls -> st = S_SKIPPED   /* never started */
              :: calls && comp ->
                   /* compensation had begun: it is done again (idempotent) */
                   undo(a, fwd);
                   settle(a, after);
                   CRASH("steps.compensated")
              :: calls && !comp ->
                   if
                   :: answered -> ans = A_OK; out = fwd   /* the post-driver steps run again */
                   :: else ->
#ifdef MUTANT_NO_READ
                        found = 0;
#else
                        readBack(a);
#endif
                        if
                        :: found -> ans = A_OK
                        :: else ->
                             /* not done: the action runs again under its id, from its prior record
                              * when Read showed no effect (F1's fix, part b: a record an earlier
                              * persistence step journaled may name what is gone) */
#ifndef MUTANT_NO_SETTLE_PRIOR
                             if
                             :: READS && KIND(a) == CREATE -> settle(a, 0)
                             :: else -> skip
                             fi;
#endif
#ifdef MUTANT_NEW_ID
                             forward(a, ID_OTHER)
#else
                             forward(a, ID_ACTION)
#endif
                        fi
                   fi;
                   stepsOrFailed(a)
              fi;
              journalOutcome(a);
              atomic { st = 0; fwd = 0; calls = 0; hookFail = 0; fwdDone = 0; comp = 0; answered = 0; a++ }
         :: else -> break
         od;
         finish()
    fi
  } unless { crashed };
  hostEnded = 1
}

/* ---------------------------------------------------------------- the run and its checks */

init {
  byte r, k;
  bit hookFailed;
  atomic {
    r = 0;
    do
    :: r < 2 ->
         if
         :: KIND(r) == DELETE -> world[r] = O_INIT; store[r] = O_INIT; mem[r] = O_INIT
         :: else -> skip
         fi;
         r++
    :: else -> break
    od;
    run Apply()
  };
  (hostEnded); hostEnded = 0;
  do
  :: jlen[2] > 0 && jt[2 * JL + jlen[2] - 1] == R_COMPLETE -> break
  :: else -> crashed = 0; run Recover(); (hostEnded); hostEnded = 0
  od;
  /* the apply is finished, by apply or by recover (which ran to its end with no crash) */
  atomic {
    r = 0;
    do
    :: r < 2 ->
         INV("one-outcome-per-action", storeFinished && storeOut[r] >= S_SUCCESS && storeOut[r] <= S_SKIPPED);
         INV("world-in-record (nothing in the world is missing from the record)",
             (world[r] & ~store[r]) == 0);
         INV("record-in-world (no record without a resource)", (store[r] & ~world[r]) == 0);
         INV("one-action-id (no driver call repeated under a different action id)",
             fwdIds[r] == 0 || fwdIds[r] == ID_ACTION);
         INV("skipped-means-untouched", storeOut[r] != S_SKIPPED || !pluginCalled[r]);
         INV("success-means-done",
             storeOut[r] != S_SUCCESS
             || (KIND(r) == CREATE && world[r] == O_FWD)
             || (KIND(r) == DELETE && world[r] == 0));
         INV("compensated-means-undone",
             storeOut[r] != S_COMPENSATED
             || (KIND(r) == CREATE && world[r] == 0)
             || (KIND(r) == DELETE && world[r] == O_COMP));
         /* a journaled post-driver failure means compensation began: it is finished, whatever
          * crashes came after (SPEC Appendix A: hook failed -> COMPENSATED or COMPENSATION_FAILED) */
         k = 0; hookFailed = 0;
         do
         :: k < jlen[r] -> if :: jt[r * JL + k] == R_HOOKFAIL -> hookFailed = 1 :: else fi; k++
         :: else -> break
         od;
         INV("hook-failure-compensated (a journaled hook failure ends COMPENSATED or COMPENSATION_FAILED)",
             !hookFailed || storeOut[r] == S_COMPENSATED || storeOut[r] == S_COMPENSATION_FAILED);
         r++
    :: else -> break
    od
  }
}
