package com.retrainconsole.ui.runs;

import com.retrainconsole.access.Permission;
import com.retrainconsole.common.FieldException;
import com.retrainconsole.common.UserException;
import com.retrainconsole.runs.CancelResult;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.MetricCondition;
import com.retrainconsole.runs.RunCsvExport;
import com.retrainconsole.runs.RunDetail;
import com.retrainconsole.runs.RunFilter;
import com.retrainconsole.runs.RunIndex;
import com.retrainconsole.runs.RunPage;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunSort;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.DeviceScope;
import com.retrainconsole.ui.Icons;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.RemembersChoices;
import com.retrainconsole.ui.Styles;
import com.retrainconsole.ui.Tasks;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.geometry.Orientation;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * Run history: one page of runs at a time, filtered, sorted and paged from a RunIndex (the first page from
 * the store while the index loads), with
 * the selected run's details, cancel/retry and CSV export. Polls every {@link #POLL} while on screen; a
 * poll reloads the page on screen and updates rows in place.
 */
public final class RunsController implements RemembersChoices {
  public static final Duration POLL = Duration.seconds(5);
  static final String ANY_DEVICE = "All devices";
  static final String ANY_STATUS = "Any status";
  static final String ANY_TRIGGER = "Any trigger";
  static final String ANY_PROMOTED = "Promoted or not";
  static final String PROMOTED = "Promoted";
  static final String NOT_PROMOTED = "Not promoted";
  static final List<String> TRIGGER_TYPES = List.of("manual", "cron", "interval", "new_data", "drift", "performance");

  private final ConsoleModel model;
  private final RunsViewModel viewModel;
  private final ZoneId zone = ZoneId.systemDefault();
  private final Timeline poll;
  // the history in memory: filter, sort and page without a store scan per click (see RunIndex)
  private final RunIndex index;
  private Task<RunPage> loading;
  private boolean reloadAgain;
  private boolean refreshAgain;
  private Task<Optional<RunDetail>> detailLoading;
  private RunRecord shownDetailRun;
  private String pendingSelect;
  private boolean settingControls;
  private Task<Long> exporting;
  // the devices of the sites shown, read with the page: a click reuses them, a refresh re-reads them
  private volatile ScopedDevices scopedDevices;

  private record ScopedDevices(DeviceScope scope, Set<String> ids) {}

  @FXML private BorderPane runs;
  @FXML private Label totalLabel;
  @FXML private Label updatedLabel;
  @FXML private ComboBox<String> deviceFilter;
  @FXML private ComboBox<String> statusFilter;
  @FXML private ComboBox<String> triggerFilter;
  @FXML private DatePicker fromFilter;
  @FXML private DatePicker toFilter;
  @FXML private ComboBox<String> promotedFilter;
  @FXML private TextField searchField;
  @FXML private TextField metricField;
  @FXML private Label metricError;
  @FXML private TableView<RunRow> table;
  @FXML private TableColumn<RunRow, String> runIdColumn;
  @FXML private TableColumn<RunRow, String> startedColumn;
  @FXML private TableColumn<RunRow, String> rmseColumn;
  @FXML private TableColumn<RunRow, String> r2Column;
  @FXML private TableColumn<RunRow, String> durationColumn;
  @FXML private TableColumn<RunRow, String> queuedColumn;
  @FXML private TableColumn<RunRow, String> deviceColumn;
  @FXML private TableColumn<RunRow, String> statusColumn;
  @FXML private TableColumn<RunRow, String> triggerColumn;
  @FXML private TableColumn<RunRow, String> maeColumn;
  @FXML private TableColumn<RunRow, String> championColumn;
  @FXML private TableColumn<RunRow, String> promotedColumn;
  @FXML private Button firstPage;
  @FXML private Button prevPage;
  @FXML private Label pageLabel;
  @FXML private Button nextPage;
  @FXML private Button lastPage;
  @FXML private ProgressBar exportProgress;
  @FXML private Label actionMessage;
  @FXML private Button exportButton;
  @FXML private VBox detail;
  @FXML private SplitPane split;

  private Map<TableColumn<RunRow, String>, RunSort.Field> sortFields;
  // the metric conditions last typed without error: a half-typed expression keeps the rows they show
  private List<MetricCondition> metricConditions = List.of();

  private boolean started;
  private ObservableValue<Window> shownIn;

  static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);

  public RunsController(ConsoleModel model) {
    this.index = new RunIndex(model.ctx().store());
    this.model = model;
    this.viewModel = new RunsViewModel(zone);
    this.poll = Polls.every(POLL, this::pollTick);
  }

  public RunsViewModel viewModel() {
    return viewModel;
  }

  /** The history in memory behind this view (benchmarks watch when it has loaded). */
  public RunIndex index() {
    return index;
  }

  @FXML
  private void initialize() {
    runs.getProperties().put(RunsController.class, this); // tests and other views reach the controller
    table.setItems(viewModel.rows());
    runIdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getRunId()));
    queuedColumn.setCellValueFactory(c -> c.getValue().queuedProperty());
    queuedColumn.setCellFactory(c -> new TimeCell(RunRecord::queuedAt));
    startedColumn.setCellValueFactory(c -> c.getValue().startedProperty());
    startedColumn.setCellFactory(c -> new TimeCell(RunRecord::startedAt));
    rmseColumn.setCellValueFactory(c -> c.getValue().rmseProperty());
    r2Column.setCellValueFactory(c -> c.getValue().r2Property());
    durationColumn.setCellValueFactory(c -> c.getValue().durationProperty());
    rmseColumn.setSortable(false); // the store sorts by the fields RunSort knows
    r2Column.setSortable(false);
    deviceColumn.setCellValueFactory(c -> c.getValue().deviceProperty());
    statusColumn.setCellValueFactory(c -> c.getValue().statusProperty());
    statusColumn.setCellFactory(c -> new StatusCell());
    triggerColumn.setCellValueFactory(c -> c.getValue().triggerProperty());
    maeColumn.setCellValueFactory(c -> c.getValue().maeProperty());
    championColumn.setCellValueFactory(c -> c.getValue().championMaeProperty());
    promotedColumn.setCellValueFactory(c -> c.getValue().promotedProperty());
    promotedColumn.setSortable(false);
    sortFields = Map.of(queuedColumn, RunSort.Field.QUEUED_AT, deviceColumn, RunSort.Field.DEVICE, statusColumn,
        RunSort.Field.STATUS, triggerColumn, RunSort.Field.TRIGGER, maeColumn, RunSort.Field.MAE, championColumn,
        RunSort.Field.CHAMPION_MAE, runIdColumn, RunSort.Field.RUN_ID, startedColumn, RunSort.Field.STARTED_AT,
        durationColumn, RunSort.Field.DURATION);
    for (var c : List.of(maeColumn, rmseColumn, r2Column, championColumn, durationColumn)) {
      c.getStyleClass().add("rc-number-column");
    }
    runIdColumn.setCellFactory(c -> new RunIdCell());
    split.widthProperty().addListener((o, was, now) -> fitKeyColumns());
    for (var c : keyColumns()) {
      c.widthProperty().addListener((o, was, now) -> fitKeyColumns());
      c.visibleProperty().addListener((o, was, now) -> fitKeyColumns());
    }
    queuedColumn.setSortType(TableColumn.SortType.DESCENDING);
    table.getSortOrder().setAll(List.of(queuedColumn));
    // decision: the table never sorts its items; a header click becomes the store query's sort
    table.setSortPolicy(t -> {
      RunSort s = sortFromTable();
      if (!settingControls && !s.equals(viewModel.sortProperty().get())) {
        viewModel.sortProperty().set(s);
        viewModel.offsetProperty().set(0);
        reloadPage();
      }
      return true;
    });

    setUpFilters();
    table.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> loadDetail(row));
    exportButton.setGraphic(Icons.of(Icons.EXPORT));
    viewModel.totalProperty().addListener((o, was, now) -> updatePager());
    viewModel.offsetProperty().addListener((o, was, now) -> updatePager());
    updatePager();
    showDetail(null);
    // decision: FXML may load this view off the FX thread before it is first opened (MainWindow#prebuild):
    // above are nodes only; the model, windows (the context menu) and the data are wired on the FX thread
    if (Platform.isFxApplicationThread()) {
      wire();
    } else {
      Platform.runLater(this::wire);
    }
  }

  /** Joins the model; reads nothing until the view is first in a window (see {@link #start}). FX thread. */
  private void wire() {
    setUpCopy();
    model.refreshRequestsProperty().addListener((o, was, now) -> {
      if (started) {
        reload();
      }
    });
    model.siteProperty().addListener((o, was, now) -> {
      if (started) {
        loadDeviceChoices();
        viewModel.offsetProperty().set(0);
        reload();
      }
    });
    model.focusedRunProperty().addListener((o, was, id) -> {
      if (id != null && started) {
        focus(id);
      }
    });
    // registered before the poll's own listener, so the first showing loads once, not twice
    shownIn = table.sceneProperty().flatMap(Scene::windowProperty);
    shownIn.addListener((o, was, now) -> {
      if (now != null) {
        start();
      }
    });
    // back on screen: reload unless the first showing's load is still running (a prebuilt view enters a
    // window for the first time straight after leaving the scene it was styled in)
    Polls.whileShowing(table, poll, this::pollTick);
    if (shownIn.getValue() != null) {
      start();
    }
  }

  /** The first time the view is in a window: the device choices, the first page and the index load. */
  private void start() {
    if (started) {
      return;
    }
    started = true;
    loadDeviceChoices();
    if (model.focusedRunProperty().get() != null) {
      focus(model.focusedRunProperty().get()); // opened through openRun: the view did not exist yet
    } else {
      reload();
    }
    // the first page comes from the store; the index loads beside it and serves every later click
    Tasks.<Void>create(p -> {
      index.refresh();
      return null;
    }).onError(e -> actionMessage.setText("Could not read the run history: " + e.getMessage()))
        .runOn(model.executor());
  }

  private void setUpFilters() {
    deviceFilter.getItems().setAll(ANY_DEVICE);
    deviceFilter.setValue(ANY_DEVICE);
    statusFilter.getItems().setAll(ANY_STATUS);
    for (RunStatus s : RunStatus.values()) {
      statusFilter.getItems().add(s.wire());
    }
    statusFilter.setValue(ANY_STATUS);
    triggerFilter.getItems().setAll(ANY_TRIGGER);
    triggerFilter.getItems().addAll(TRIGGER_TYPES);
    triggerFilter.setValue(ANY_TRIGGER);
    promotedFilter.getItems().setAll(ANY_PROMOTED, PROMOTED, NOT_PROMOTED);
    promotedFilter.setValue(ANY_PROMOTED);
    for (var c : List.of(deviceFilter, statusFilter, triggerFilter, promotedFilter)) {
      c.valueProperty().addListener((o, was, now) -> filtersChanged());
    }
    fromFilter.valueProperty().addListener((o, was, now) -> filtersChanged());
    searchField.textProperty().addListener((o, was, now) -> filtersChanged());
    metricField.textProperty().addListener((o, was, now) -> metricsTyped(now));
    toFilter.valueProperty().addListener((o, was, now) -> filtersChanged());
  }

  /** The device filter's choices: the devices of the sites shown; a device no longer listed resets it. */
  private void loadDeviceChoices() {
    model.loadDeviceIds(ids -> {
      String keep = deviceFilter.getValue();
      List<String> items = new ArrayList<>();
      items.add(ANY_DEVICE);
      items.addAll(ids);
      if (!items.equals(deviceFilter.getItems())) {
        deviceFilter.getItems().setAll(items);
      }
      deviceFilter.setValue(keep != null && items.contains(keep) ? keep : ANY_DEVICE);
    }, e -> updatedLabel.setText("Could not list devices: " + e.getMessage()));
  }

  /**
   * {@code filter} within the devices of the sites shown. Blocking. The device set is re-read when
   * {@code refresh} (polls, F5, actions) or the scope changed, so a filter or page click reads no more
   * than before.
   */
  private RunFilter withinScope(DeviceScope scope, RunFilter filter, boolean refresh) {
    if (scope.everything()) {
      return filter.withDevicesIn(null);
    }
    ScopedDevices known = scopedDevices;
    if (refresh || known == null || !known.scope().equals(scope)) {
      known = new ScopedDevices(scope, scope.deviceIds().orElse(null));
      scopedDevices = known;
    }
    return filter.withDevicesIn(known.ids());
  }

  private RunSort sortFromTable() {
    if (table.getSortOrder().isEmpty()) {
      return RunSort.newestFirst();
    }
    TableColumn<RunRow, ?> c = table.getSortOrder().get(0);
    RunSort.Field f = sortFields.get(c);
    return f == null ? RunSort.newestFirst()
        : new RunSort(f, c.getSortType() == TableColumn.SortType.ASCENDING);
  }

  /** The filter the controls show. */
  RunFilter filterFromControls() {
    String device = deviceFilter.getValue();
    String status = statusFilter.getValue();
    String trigger = triggerFilter.getValue();
    String promoted = promotedFilter.getValue();
    LocalDate from = fromFilter.getValue();
    LocalDate to = toFilter.getValue();
    return new RunFilter(
        device == null || ANY_DEVICE.equals(device) ? null : device,
        status == null || ANY_STATUS.equals(status) ? null : RunStatus.parse(status),
        trigger == null || ANY_TRIGGER.equals(trigger) ? null : trigger,
        from == null ? null : from.atStartOfDay(zone).toInstant(),
        to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant(), // the "to" day is included
        PROMOTED.equals(promoted) ? Boolean.TRUE : NOT_PROMOTED.equals(promoted) ? Boolean.FALSE : null,
        null, searchField.getText(), metricConditions);
  }

  /** Parses the metric filter as typed; an error shows beside the field and leaves the rows as they were. */
  private void metricsTyped(String text) {
    try {
      List<MetricCondition> parsed = MetricCondition.parse(text);
      metricError.setText("");
      metricField.getStyleClass().remove("rc-field-error");
      if (!parsed.equals(metricConditions)) {
        metricConditions = parsed;
        filtersChanged();
      }
    } catch (FieldException e) {
      metricError.setText(e.reason());
      if (!metricField.getStyleClass().contains("rc-field-error")) {
        metricField.getStyleClass().add("rc-field-error");
      }
    }
  }

  private void filtersChanged() {
    if (settingControls) {
      return;
    }
    viewModel.filterProperty().set(filterFromControls());
    viewModel.offsetProperty().set(0);
    reloadPage();
  }

  @FXML
  void clearFilters() {
    setControls(RunFilter.all());
    filtersChanged();
  }

  private void setControls(RunFilter f) {
    settingControls = true;
    try {
      deviceFilter.setValue(f.deviceId() == null ? ANY_DEVICE : f.deviceId());
      statusFilter.setValue(f.status() == null ? ANY_STATUS : f.status().wire());
      triggerFilter.setValue(f.triggerType() == null ? ANY_TRIGGER : f.triggerType());
      promotedFilter.setValue(f.promoted() == null ? ANY_PROMOTED : f.promoted() ? PROMOTED : NOT_PROMOTED);
      fromFilter.setValue(f.from() == null ? null : f.from().atZone(zone).toLocalDate());
      toFilter.setValue(f.to() == null ? null : f.to().atZone(zone).toLocalDate().minusDays(1));
      searchField.setText(f.text() == null ? "" : f.text());
      metricConditions = f.metrics();
      metricField.setText(String.join(", ", f.metrics().stream().map(MetricCondition::toString).toList()));
      metricError.setText("");
      metricField.getStyleClass().remove("rc-field-error");
    } finally {
      settingControls = false;
    }
  }

  // ---- paging

  @FXML
  void firstPage() {
    goTo(0);
  }

  @FXML
  void prevPage() {
    goTo(viewModel.offsetProperty().get() - RunsViewModel.PAGE_SIZE);
  }

  @FXML
  void nextPage() {
    goTo(viewModel.offsetProperty().get() + RunsViewModel.PAGE_SIZE);
  }

  @FXML
  void lastPage() {
    goTo((viewModel.pageCount() - 1) * RunsViewModel.PAGE_SIZE);
  }

  private void goTo(int offset) {
    int clamped = Math.max(0, Math.min(offset, (viewModel.pageCount() - 1) * RunsViewModel.PAGE_SIZE));
    if (clamped != viewModel.offsetProperty().get()) {
      viewModel.offsetProperty().set(clamped);
      reloadPage();
    }
  }

  private void updatePager() {
    long total = viewModel.totalProperty().get();
    int page = viewModel.pageIndex();
    int pages = viewModel.pageCount();
    if (total < 0) {
      totalLabel.setText("Loading…");
      pageLabel.setText("");
    } else {
      totalLabel.setText(String.format("%,d %s", total, total == 1 ? "run" : "runs"));
      long first = total == 0 ? 0 : viewModel.offsetProperty().get() + 1L;
      long last = Math.min(total, viewModel.offsetProperty().get() + (long) RunsViewModel.PAGE_SIZE);
      pageLabel.setText(String.format("Page %,d of %,d · %,d–%,d", page + 1, pages, first, last));
    }
    firstPage.setDisable(page == 0);
    prevPage.setDisable(page == 0);
    nextPage.setDisable(page >= pages - 1);
    lastPage.setDisable(page >= pages - 1);
  }

  // ---- loading

  /** Reloads the page on screen with what changed in the store; a request during a load runs once it ends. */
  public void reload() {
    reload(true);
  }

  /**
   * decision: a poll tick while a load is still running is dropped, not queued: on the H2 file a refresh
   * of 100k runs takes longer than the poll period, and queued ticks kept one core scanning back to back.
   */
  private void pollTick() {
    if (started && (loading == null || loading.isDone())) {
      reload(true);
    }
  }

  /** Shows the page the filter, sort and offset ask for from the index as it is (see RunsViewModel#load). */
  private void reloadPage() {
    reload(false);
  }

  private void reload(boolean refresh) {
    if (model.executor().isShutdown()) {
      poll.stop();
      return;
    }
    if (loading != null && !loading.isDone()) {
      reloadAgain = true;
      refreshAgain |= refresh;
      return;
    }
    reloadAgain = false;
    refreshAgain = false;
    RunsViewModel.Query q = viewModel.query();
    DeviceScope scope = model.scope();
    loading = Tasks.<RunPage>create(p -> RunsViewModel.load(index, model.ctx().runs(),
            new RunsViewModel.Query(withinScope(scope, q.filter(), refresh), q.sort(), q.offset()), refresh))
        .onSuccess(page -> {
          if (!q.equals(viewModel.query()) || !scope.equals(model.scope())) {
            reloadAgain = true; // the user moved on while this page loaded: show what they asked for
          }
          if (!reloadAgain) {
            show(page);
          }
          updatedLabel.setText("Updated " + LocalTime.now().withNano(0) + " · refreshes every "
              + (int) POLL.toSeconds() + " s");
        })
        .onError(e -> updatedLabel.setText("Could not read the run history: " + e.getMessage()))
        .andFinally(() -> {
          if (reloadAgain) {
            reload(refreshAgain);
          }
        })
        .runOn(model.executor());
  }

  private void show(RunPage page) {
    RunRow selected = table.getSelectionModel().getSelectedItem();
    String keep = pendingSelect != null ? pendingSelect : selected == null ? null : selected.getRunId();
    boolean changed = viewModel.apply(page);
    if (keep != null) {
      for (int i = 0; i < viewModel.rows().size(); i++) {
        if (viewModel.rows().get(i).getRunId().equals(keep)) {
          if (changed || table.getSelectionModel().getSelectedIndex() != i) {
            table.getSelectionModel().clearAndSelect(i);
          }
          if (keep.equals(pendingSelect)) {
            table.scrollTo(Math.max(0, i - 3));
          }
          break;
        }
      }
      pendingSelect = null;
    }
    RunRow now = table.getSelectionModel().getSelectedItem();
    if (now != null && now.getRun() != shownDetailRun) {
      loadDetail(now); // the selected run changed in the store (status, metrics): refresh its details
    }
  }

  /** Shows {@code runId}: clears filters that hide it, goes to its page, selects it and opens its details. */
  public void focus(String runId) {
    RunFilter current = viewModel.filterProperty().get();
    RunSort sort = viewModel.sortProperty().get();
    DeviceScope scope = model.scope();
    Tasks.<Optional<RunsViewModel.Query>>create(p -> {
      index.refresh();
      if (!index.matches(withinScope(scope, RunFilter.all(), true), runId)) {
        return Optional.empty();
      }
      RunFilter f = index.matches(withinScope(scope, current, false), runId) ? current : RunFilter.all();
      RunSort s = sort;
      Optional<Long> pos = index.positionOf(withinScope(scope, f, false), s, runId);
      int offset = (int) (pos.orElse(0L) / RunsViewModel.PAGE_SIZE) * RunsViewModel.PAGE_SIZE;
      return Optional.of(new RunsViewModel.Query(f, s, offset));
    }).onSuccess(q -> {
      if (q.isEmpty()) {
        actionMessage.setText("Run " + runId + " is not in the history" + (scope.everything()
            ? " (its record was deleted, or never written)." : " of the sites shown (or its record was deleted)."));
        return;
      }
      pendingSelect = runId;
      setControls(q.get().filter());
      viewModel.filterProperty().set(q.get().filter());
      setSort(q.get().sort());
      viewModel.offsetProperty().set(q.get().offset());
      reloadPage(); // the index was refreshed just above
    }).onError(e -> actionMessage.setText("Could not find run " + runId + ": " + e.getMessage()))
        .runOn(model.executor());
  }

  private void setSort(RunSort s) {
    viewModel.sortProperty().set(s);
    settingControls = true;
    try {
      sortFields.forEach((c, f) -> {
        if (f == s.field()) {
          c.setSortType(s.ascending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
          table.getSortOrder().setAll(List.of(c));
        }
      });
    } finally {
      settingControls = false;
    }
  }

  // ---- details

  private void loadDetail(RunRow row) {
    if (row == null) {
      shownDetailRun = null;
      showDetail(null);
      return;
    }
    if (detailLoading != null && !detailLoading.isDone()) {
      detailLoading.cancel(false);
    }
    RunRecord shown = row.getRun();
    String runId = row.getRunId();
    detailLoading = Tasks.<Optional<RunDetail>>create(p -> RunDetail.load(model.ctx().store(), model.ctx().runs(),
            runId))
        .onSuccess(d -> {
          RunRow sel = table.getSelectionModel().getSelectedItem();
          if (sel != null && sel.getRunId().equals(runId)) {
            shownDetailRun = shown;
            showDetail(d.orElse(null));
          }
        })
        .onError(e -> actionMessage.setText("Could not read run " + runId + ": " + e.getMessage()))
        .runOn(model.executor());
  }

  private void showDetail(RunDetail d) {
    new RunDetailPane(this, viewModel.format(), model).fill(detail, d);
  }

  // ---- actions

  void cancel(String runId) {
    Tasks.<CancelResult>create(p -> model.ops().cancelRun(model.actor(), runId))
        .onSuccess(r -> {
          message(r.message(), false);
          reload();
        })
        .onError(this::actionFailed)
        .runOn(model.executor());
  }

  void retry(String runId) {
    Tasks.<Enqueued>create(p -> model.ops().retryRun(model.actor(), runId))
        .onSuccess(e -> {
          message("Queued run " + e.runId() + " to retry " + runId, false);
          shownDetailRun = null;
          reload();
          RunRow sel = table.getSelectionModel().getSelectedItem();
          if (sel != null) {
            loadDetail(sel);
          }
        })
        .onError(this::actionFailed)
        .runOn(model.executor());
  }

  void open(String runId) {
    model.openRun(runId);
  }

  private void actionFailed(Throwable e) {
    if (e instanceof UserException) {
      message(e.getMessage(), true); // refused (role) or not allowed for this run: its own message
    } else {
      model.showError(e);
    }
  }

  private void message(String text, boolean error) {
    actionMessage.setText(text);
    actionMessage.getStyleClass().removeAll("rc-runs-error");
    if (error) {
      actionMessage.getStyleClass().add("rc-runs-error");
    }
  }

  @FXML
  void exportCsv() {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Export runs as CSV");
    chooser.setInitialFileName("runs.csv");
    chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
    File f = chooser.showSaveDialog(table.getScene().getWindow());
    if (f != null) {
      exportCsv(f.toPath());
    }
  }

  /** Writes every run matching the current filter, in the current order, to {@code target} in the background. */
  public Task<Long> exportCsv(Path target) {
    if (exporting != null && !exporting.isDone()) {
      message("An export is still running.", true);
      return exporting;
    }
    RunFilter f = viewModel.filterProperty().get();
    RunSort s = viewModel.sortProperty().get();
    DeviceScope scope = model.scope();
    exporting = Tasks.<Long>create(p -> RunCsvExport.write(model.ctx().runs(), withinScope(scope, f, true), s,
            target, p))
        .onSuccess(n -> message(String.format("Exported %,d runs to %s", n, target), false))
        .onError(e -> message("Export failed: " + e.getMessage(), true))
        .andFinally(() -> {
          exportProgress.setVisible(false);
          exportProgress.setManaged(false);
          exportButton.setDisable(false);
        })
        .build();
    exportProgress.progressProperty().bind(exporting.progressProperty());
    exportProgress.setVisible(true);
    exportProgress.setManaged(true);
    exportButton.setDisable(true);
    message("Exporting…", false);
    model.executor().execute(exporting);
    return exporting;
  }

  // ---- columns shown

  /** The preference holding the titles of the columns the user hid, one per line. */
  static final String HIDDEN_COLUMNS = "hidden-columns";

  /** The column chooser's choice, kept by title; a title this version does not have is ignored. */
  @Override
  public void rememberIn(java.util.prefs.Preferences node) {
    String hidden = node.get(HIDDEN_COLUMNS, null);
    if (hidden != null) {
      Set<String> titles = Set.of(hidden.split("\n"));
      for (TableColumn<RunRow, ?> c : table.getColumns()) {
        c.setVisible(!titles.contains(c.getText()));
      }
    }
    for (TableColumn<RunRow, ?> c : table.getColumns()) {
      c.visibleProperty().addListener((o, was, now) -> node.put(HIDDEN_COLUMNS, String.join("\n",
          table.getColumns().stream().filter(col -> !col.isVisible()).map(TableColumn::getText).toList())));
    }
  }

  // ---- narrow windows

  /** What an analyst reads first; at any width these stay in view without scrolling sideways. */
  private List<TableColumn<RunRow, String>> keyColumns() {
    return List.of(runIdColumn, deviceColumn, statusColumn, startedColumn, maeColumn);
  }

  static final double DETAIL_MIN_WIDTH = 280;
  static final double BESIDE_POSITION = 0.64;
  static final double BELOW_POSITION = 0.62;

  /**
   * Details beside the table while the key columns and a readable detail pane both fit, else below the table
   * (a 1024 px screen). decision: moving the pane, not hiding key columns: the run id alone is 300 px wide.
   */
  private void fitKeyColumns() {
    double width = split.getWidth();
    if (width <= 0) {
      return;
    }
    double need = 24; // the vertical scroll bar and the table's border
    for (var c : keyColumns()) {
      need += c.isVisible() ? c.getWidth() : 0;
    }
    boolean beside = width - need >= DETAIL_MIN_WIDTH;
    Orientation wanted = beside ? Orientation.HORIZONTAL : Orientation.VERTICAL;
    if (split.getOrientation() != wanted) {
      split.setOrientation(wanted);
      split.setDividerPositions(beside ? Math.max(BESIDE_POSITION, need / width) : BELOW_POSITION);
    } else if (beside && split.getDividerPositions()[0] * width < need) {
      split.setDividerPositions(need / width);
    }
  }

  // ---- copy

  private void setUpCopy() {
    MenuItem copy = new MenuItem("Copy run id");
    copy.setId("runs-copy-id");
    copy.setAccelerator(COPY);
    copy.setOnAction(e -> copySelectedRunId());
    ContextMenu menu = new ContextMenu(copy);
    menu.setOnShowing(e -> copy.setDisable(table.getSelectionModel().getSelectedItem() == null));
    table.setContextMenu(menu);
    // the accelerator only fires while the menu is open: the table answers the key itself
    table.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
      if (COPY.match(e) && copySelectedRunId()) {
        e.consume();
      }
    });
  }

  /** Puts the selected run's id on the system clipboard; false when no run is selected. */
  boolean copySelectedRunId() {
    RunRow row = table.getSelectionModel().getSelectedItem();
    if (row == null) {
      return false;
    }
    ClipboardContent content = new ClipboardContent();
    content.putString(row.getRunId());
    Clipboard.getSystemClipboard().setContent(content);
    message("Copied " + row.getRunId(), false);
    return true;
  }

  /** Status text, with a "dry run" badge for runs that trained and scored without going into service. */
  private static final class StatusCell extends TableCell<RunRow, String> {
    private final Label dryRun = new Label("dry run");

    StatusCell() {
      dryRun.getStyleClass().add("rc-runs-dry-run");
      dryRun.setMinWidth(Label.USE_PREF_SIZE);
      setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
      setGraphicTextGap(6);
    }

    @Override
    protected void updateItem(String status, boolean empty) {
      super.updateItem(status, empty);
      getStyleClass().removeIf(s -> s.startsWith(Styles.STATUS_PREFIX));
      RunRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (empty || status == null) {
        setText(null);
        setGraphic(null);
      } else {
        setText(status.replace('_', ' '));
        getStyleClass().add(Styles.status(status.replace('_', '-')));
        setGraphic(row != null && row.isDryRun() ? dryRun : null);
      }
    }
  }

  /** The run id, whole in the tooltip too: a column the user narrowed still tells it. */
  private static final class RunIdCell extends TableCell<RunRow, String> {
    private final Tooltip tip = new Tooltip();

    @Override
    protected void updateItem(String id, boolean empty) {
      super.updateItem(id, empty);
      setText(empty ? null : id);
      if (empty || id == null) {
        setTooltip(null);
      } else {
        tip.setText(id + " (" + COPY.getDisplayText() + " copies it)");
        setTooltip(tip);
      }
    }
  }

  /** A time to the minute in local time; the tooltip holds the exact instant in UTC and local time. */
  private final class TimeCell extends TableCell<RunRow, String> {
    private final Function<RunRecord, Instant> time;
    private final Tooltip tip = new Tooltip();

    TimeCell(Function<RunRecord, Instant> time) {
      this.time = time;
    }

    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      RunRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
      Instant t = row == null || row.getRun() == null ? null : time.apply(row.getRun());
      setText(empty ? null : text);
      if (t == null) {
        setTooltip(null);
      } else {
        tip.setText(viewModel.format().exact(t));
        setTooltip(tip);
      }
    }
  }
}
