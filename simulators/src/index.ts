export { Rng, hashSeed, rngFor } from './random';
export type { SimEvent } from './sim-event';
export { DEFAULT_TOPIC_PREFIX, topicFor, topicType, serializeEvent } from './sim-event';
export type { Truth, BookingTruth, BookingOutcome, PresenceTruth, VisitTruth } from './truth';
export { writeTruth, serializeTruth, mergeTruth } from './truth';
export type { SimMember } from './roster';
export { DEFAULT_MEMBER_COUNT, generateRoster } from './roster';
export type { GenerateDayOptions, SimDay } from './demo-day.generator';
export { DEFAULT_NO_SHOW_RATE, DEFAULT_CANCEL_RATE, generateDay, generateDays } from './demo-day.generator';
export type { EventSink, Timers, SimClock, LivePlayerOptions } from './live-player';
export { LivePlayer } from './live-player';
export type { MqttSinkOptions, PublishOptions, PublishRun } from './mqtt-publisher';
export { MqttEventSink, connectMqttSink, publishEvents } from './mqtt-publisher';
export type { DemoSimulatorOptions, DemoSimulator, DemoRunOptions } from './demo-simulator';
export { DEFAULT_DEMO_SEED, startDemoSimulator, runDemoSimulator } from './demo-simulator';
export { DEMO_SITE_FILE, loadSiteFile } from './site-file';

// Scenarios: files (YAML or JSON) validated with zod; errors carry the path of the bad field.
export type { Scenario, ScenarioSite, ResolveOptions } from './scenario/scenario-loader';
export { loadScenario, parseScenario, resolveScenario } from './scenario/scenario-loader';
export type { ScenarioIssue } from './scenario/scenario-error';
export { ScenarioError } from './scenario/scenario-error';
export type {
  ScenarioInput,
  PlanKind,
  LatenessProfile,
  PopulationConfig,
  BehaviourConfig,
  DeviceNoiseConfig,
} from './scenario/scenario.schema';
export { scenarioSchema, PLAN_KINDS, LATENESS_PROFILES } from './scenario/scenario.schema';
export {
  DEMO_SCENARIO_FILE,
  SMALL_TEST_SCENARIO_FILE,
  LARGE_LOAD_SCENARIO_FILE,
} from './scenario/scenario-files';

// The scenario engine: one deterministic stream of events in delivery order, and its ground truth.
export type { ScenarioEvent } from './engine/scenario-event';
export { eventKind, serializeScenarioEvent } from './engine/scenario-event';
export type { StreamOptions } from './engine/scenario-stream';
export { ScenarioStream } from './engine/scenario-stream';
export type {
  TruthRecord,
  TruthSink,
  RunRecord,
  MemberRecord,
  DeviceRecord,
  BookingRecord,
  PresenceRecord,
  VisitRecord,
  ChurnRecord,
  NoiseRecord,
  NoiseKind,
  OfflineRecord,
  ExposureRecord,
} from './engine/truth-records';
export { MemoryTruth, JsonlTruthFile } from './engine/truth-sinks';
export type { MinuteSeries } from './engine/minute-presence';
export { minutePresence, reportSecond } from './engine/minute-presence';

// Transports and run modes.
export type { OutMessage } from './transport/wire';
export { httpItem } from './transport/wire';
export type { Outbox } from './transport/outbox';
export { HttpOutbox, MqttOutbox, HTTP_MAX_BATCH } from './transport/outbox';
export type { Publisher, BatchAnswer } from './transport/publisher';
export { NullPublisher } from './transport/publisher';
export type { HttpPost, HttpPublisherOptions, HttpResponseLike } from './transport/http-transport';
export { HttpPublisher, HttpRefusal, eventsUrl } from './transport/http-transport';
export type { MqttTransportOptions, PublishingClient } from './transport/mqtt-transport';
export { MqttPublisher, connectMqttPublisher } from './transport/mqtt-transport';
export type { DispatchOptions } from './modes/dispatcher';
export { Dispatcher } from './modes/dispatcher';
export type { EventSource, Progress, RunReport } from './modes/report';
export type { BackfillOptions } from './modes/backfill';
export { runBackfill } from './modes/backfill';
export type { LoadOptions } from './modes/load';
export { runLoad } from './modes/load';
export type { LiveOptions } from './modes/live';
export { runLive, wallTimeFor } from './modes/live';
export type { ScenarioCliConfig, RunMode } from './cli/scenario-args';
export { parseScenarioArgs } from './cli/scenario-args';
export type { RunPlan } from './cli/run-plan';
export { planRun } from './cli/run-plan';
export { runScenarioCli, setPlatformClock } from './cli/scenario-cli';
