package com.retrainconsole.ui.compare;

import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.VersionComparison;
import com.retrainconsole.comparison.VersionDiff;
import com.retrainconsole.comparison.VersionHistory;
import com.retrainconsole.comparison.VersionPoint;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.ui.ConsoleModel;
import com.retrainconsole.ui.Polls;
import com.retrainconsole.ui.Tasks;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;

/**
 * Model comparison: a metric of every version of the selected device over time with promotions and
 * rollbacks marked, a table to tick versions, their metrics side by side, the configuration diff of two
 * ticked versions (trainer params, feature spec, data window, metrics; from their meta files), and on demand (background, with
 * progress and Cancel) predicted vs actual, residuals, error by hour and feature importance on the same
 * recent rows. Every store, file and model read runs off the FX thread; chart datasets are built there too.
 */
public final class CompareController {
  public static final javafx.util.Duration POLL = javafx.util.Duration.seconds(15);
  /** Marks a row of the differences table whose two values differ (with the row's style, not colour alone). */
  public static final String DIFFERS_MARK = "≠";
  public static final String DIFFERS_STYLE = "rc-diff-changed";
  private static final String DIFF_HINT = "Tick exactly two versions above to see how their configuration differs.";
  static final List<Integer> WINDOW_DAYS = List.of(1, 3, 7, 14);

  private final ConsoleModel model;
  private final VersionComparison comparison;
  private final MetricChart metricChart = new MetricChart();
  private final ComparisonCharts charts = new ComparisonCharts();
  private final Map<ChartKind, ChartPane> panes = new EnumMap<>(ChartKind.class);
  private final ObservableList<VersionRow> rows = FXCollections.observableArrayList();
  private final ObservableList<SideRow> sideRows = FXCollections.observableArrayList();
  private final ObservableList<VersionDiff.Row> diffRows = FXCollections.observableArrayList();
  private VersionDiff diff;
  private String diffDevice;
  private long diffGeneration;
  private final Timeline poll;
  private final ZoneId zone = ZoneId.systemDefault();
  private VersionHistory history;
  private long loadGeneration;
  private Task<?> loading;
  private Task<ComparisonCharts.Data> comparing;
  private ChartStyle style = ChartStyle.LIGHT;
  private Scene styledScene;
  private final ListChangeListener<String> sheetsListener = c -> restyle();

  @FXML private BorderPane root;
  @FXML private ComboBox<String> deviceBox;
  @FXML private ComboBox<Metric> metricBox;
  @FXML private ComboBox<Integer> windowBox;
  @FXML private Label historyLabel;
  @FXML private TableView<VersionRow> versionsTable;
  @FXML private TableColumn<VersionRow, Boolean> pickColumn;
  @FXML private TableColumn<VersionRow, String> versionColumn;
  @FXML private TableColumn<VersionRow, String> createdColumn;
  @FXML private TableColumn<VersionRow, String> metricColumn;
  @FXML private TableColumn<VersionRow, String> stageColumn;
  @FXML private Tab metricTab;
  @FXML private Tab diffTab;
  @FXML private CheckBox onlyDifferences;
  @FXML private Label diffStatus;
  @FXML private TableView<VersionDiff.Row> diffTable;
  @FXML private TableColumn<VersionDiff.Row, String> dField;
  @FXML private TableColumn<VersionDiff.Row, String> dA;
  @FXML private TableColumn<VersionDiff.Row, String> dB;
  @FXML private Button compareButton;
  @FXML private Button cancelButton;
  @FXML private ProgressBar progress;
  @FXML private Label progressLabel;
  @FXML private Tab pvaTab;
  @FXML private Tab residualTab;
  @FXML private Tab hourTab;
  @FXML private Tab importanceTab;
  @FXML private TableView<SideRow> sideTable;
  @FXML private TableColumn<SideRow, String> sVersion;
  @FXML private TableColumn<SideRow, String> sTrainer;
  @FXML private TableColumn<SideRow, String> sCreated;
  @FXML private TableColumn<SideRow, String> sMae;
  @FXML private TableColumn<SideRow, String> sRmse;
  @FXML private TableColumn<SideRow, String> sR2;
  @FXML private TableColumn<SideRow, String> sN;
  @FXML private TableColumn<SideRow, String> sStage;
  @FXML private TableColumn<SideRow, String> sWindowMae;
  @FXML private TableColumn<SideRow, String> sWindowRmse;
  @FXML private TableColumn<SideRow, String> sWindowR2;

  public CompareController(ConsoleModel model) {
    this.model = model;
    var ctx = model.ctx();
    this.comparison = new VersionComparison(ctx.registry(), ctx.devices()::require,
        (DeviceConfig d) -> TelemetrySources.forDevice(ctx.store(), d));
    this.poll = Polls.every(POLL, this::reload);
  }

  @FXML
  private void initialize() {
    root.getProperties().put(CompareController.class, this); // how tests reach the controller
    panes.put(ChartKind.METRIC, new ChartPane(ChartKind.METRIC.id(), "Test-window metric of every version",
        metricChart.chart()));
    panes.put(ChartKind.PREDICTED_VS_ACTUAL, new ChartPane(ChartKind.PREDICTED_VS_ACTUAL.id(),
        ChartKind.PREDICTED_VS_ACTUAL.caption() + " (dashed: perfect prediction)", charts.predictedVsActual));
    panes.put(ChartKind.RESIDUALS, new ChartPane(ChartKind.RESIDUALS.id(), ChartKind.RESIDUALS.caption(),
        charts.residuals));
    panes.put(ChartKind.HOUR_OF_DAY, new ChartPane(ChartKind.HOUR_OF_DAY.id(), ChartKind.HOUR_OF_DAY.caption(),
        charts.byHour));
    panes.put(ChartKind.FEATURE_IMPORTANCE, new ChartPane(ChartKind.FEATURE_IMPORTANCE.id(),
        ChartKind.FEATURE_IMPORTANCE.caption() + " (top " + ComparisonCharts.TOP_FEATURES + ")",
        charts.importance));
    panes.forEach((kind, pane) -> pane.exportButton().setOnAction(e -> exportWithDialog(kind)));
    metricTab.setContent(panes.get(ChartKind.METRIC));
    pvaTab.setContent(panes.get(ChartKind.PREDICTED_VS_ACTUAL));
    residualTab.setContent(panes.get(ChartKind.RESIDUALS));
    hourTab.setContent(panes.get(ChartKind.HOUR_OF_DAY));
    importanceTab.setContent(panes.get(ChartKind.FEATURE_IMPORTANCE));

    // the summary names the version in service and is cut with "…" in a narrow window
    javafx.scene.control.Tooltip summaryTip = new javafx.scene.control.Tooltip();
    summaryTip.textProperty().bind(historyLabel.textProperty());
    historyLabel.setTooltip(summaryTip);
    metricBox.getItems().setAll(Metric.values());
    metricBox.setValue(Metric.MAE);
    metricBox.valueProperty().addListener((o, was, m) -> rebuildMetricChart());
    windowBox.getItems().setAll(WINDOW_DAYS);
    windowBox.setValue(3);
    windowBox.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(Integer d) {
        return d == null ? "" : "last " + d + (d == 1 ? " day" : " days");
      }

      @Override
      public Integer fromString(String s) {
        return null;
      }
    });

    versionsTable.setItems(rows);
    versionsTable.setEditable(true);
    pickColumn.setCellValueFactory(c -> c.getValue().pickedProperty());
    pickColumn.setCellFactory(c -> new PickCell());
    pickColumn.setSortable(false);
    versionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().version()));
    createdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Format.shortTime(
        c.getValue().point().createdAt(), zone)));
    metricColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Format.metric(metricBox.getValue(),
        c.getValue().point().metric(metricBox.getValue()))));
    stageColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(stageText(c.getValue().point())));

    sideTable.setItems(sideRows);
    bind(sVersion, SideRow::version);
    bind(sTrainer, SideRow::trainer);
    bind(sCreated, SideRow::created);
    bind(sMae, SideRow::mae);
    bind(sRmse, SideRow::rmse);
    bind(sR2, SideRow::r2);
    bind(sN, SideRow::n);
    bind(sStage, SideRow::stage);
    bind(sWindowMae, SideRow::windowMae);
    bind(sWindowRmse, SideRow::windowRmse);
    bind(sWindowR2, SideRow::windowR2);

    diffTable.setItems(diffRows);
    dField.setCellValueFactory(c -> new ReadOnlyStringWrapper(fieldText(c.getValue())));
    dA.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().a()));
    dB.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().b()));
    for (TableColumn<VersionDiff.Row, String> col : List.of(dField, dA, dB)) {
      col.setCellFactory(c -> new TipCell());
    }
    diffTable.setRowFactory(t -> new DiffRow());
    onlyDifferences.selectedProperty().addListener((o, was, now) -> showDiffRows());
    diffStatus.setText(DIFF_HINT);

    compareButton.setDisable(true);
    cancelButton.setVisible(false);
    cancelButton.managedProperty().bind(cancelButton.visibleProperty());
    progress.setVisible(false);
    progress.managedProperty().bind(progress.visibleProperty());
    cancelButton.setOnAction(e -> {
      if (comparing != null) {
        comparing.cancel(false);
      }
    });
    compareButton.setOnAction(e -> compare());

    deviceBox.valueProperty().addListener((o, was, id) -> {
      if (id != null && !id.equals(was)) {
        model.selectedDeviceProperty().set(id);
        deviceChanged();
      } else if (id == null && was != null) {
        deviceChanged(); // no device in the site now shown: clear the last one's charts
      }
    });
    model.selectedDeviceProperty().addListener((o, was, id) -> {
      if (id != null && deviceBox.getItems().contains(id)) {
        deviceBox.setValue(id);
      }
    });
    model.refreshRequestsProperty().addListener((o, was, now) -> reload());
    model.siteProperty().addListener((o, was, now) -> loadDevices()); // the devices of the site now shown
    root.sceneProperty().addListener((o, was, scene) -> sceneChanged(scene));
    sceneChanged(root.getScene());
    Polls.onReshown(root, this::reload); // the poll is 15 s: coming back must not show a stale chart
    loadDevices();
  }

  // ---- public for tests and the benchmark

  public JFreeChart chart(ChartKind kind) {
    return panes.get(kind).chart();
  }

  /** Writes {@code kind}'s chart as a PNG at its on-screen size (at least 900×540); call off the FX thread. */
  public void exportPng(ChartKind kind, Path file) throws IOException {
    ChartPane pane = panes.get(kind);
    ChartPane.writePng(pane.chart(), file, pane.exportWidth(), pane.exportHeight());
  }

  public VersionHistory history() {
    return history;
  }

  /** Points plotted in the metric chart's "Versions" series (0 before the first load). */
  public int plottedVersions() {
    MetricChart.Data d = metricChart.data();
    return d == null ? 0 : d.dataset().getSeries(0).getItemCount();
  }

  /** Promotion and rollback markers on the metric chart. */
  public int pointerMarkers() {
    return metricChart.markerCount();
  }

  /** The versions ticked for comparison, oldest first. */
  public List<String> pickedVersions() {
    List<String> out = new ArrayList<>();
    List<VersionRow> byCreated = new ArrayList<>(rows);
    byCreated.sort(java.util.Comparator.comparing((VersionRow r) -> r.point().createdAt()));
    for (VersionRow r : byCreated) {
      if (r.isPicked()) {
        out.add(r.version());
      }
    }
    return out;
  }

  public ObservableList<SideRow> sideRows() {
    return sideRows;
  }

  /** The last finished comparison, or null. */
  public VersionComparison.Result comparisonResult() {
    ComparisonCharts.Data d = charts.data();
    return d == null ? null : d.result();
  }

  public ChartStyle chartStyle() {
    return style;
  }

  /** The configuration diff of the two ticked versions, or null unless exactly two are ticked and read. */
  public VersionDiff diff() {
    return diff;
  }

  /** The rows the differences table shows (all, or only the differing ones). */
  public ObservableList<VersionDiff.Row> diffRows() {
    return diffRows;
  }

  /** The on-screen chart of {@code kind} (moves into its own window while popped out). */
  public javafx.scene.layout.Region viewer(ChartKind kind) {
    return panes.get(kind).viewer();
  }

  /** The window {@code kind}'s chart is popped out into, or null. */
  public javafx.stage.Stage poppedOut(ChartKind kind) {
    return panes.get(kind).poppedOut();
  }

  // ---- loading

  private void loadDevices() {
    model.loadDeviceIds(ids -> {
      deviceBox.getItems().setAll(ids);
      String selected = model.selectedDeviceProperty().get();
      deviceBox.setValue(selected != null && ids.contains(selected) ? selected : ids.isEmpty() ? null
          : ids.get(0));
      if (ids.isEmpty()) {
        historyLabel.setText("No devices yet: load demo data or import telemetry.");
      }
    }, e -> historyLabel.setText("Could not read the devices: " + message(e)));
  }

  private void deviceChanged() {
    if (comparing != null && comparing.isRunning()) {
      comparing.cancel(false);
    }
    history = null;
    rows.clear();
    sideRows.clear();
    diff = null;
    diffRows.clear();
    charts.clear();
    progressLabel.setText("");
    reload();
  }

  /** Reloads the device's versions and pointer moves in the background; stale answers are dropped. */
  public void reload() {
    if (model.executor().isShutdown()) {
      poll.stop();
      return;
    }
    String device = deviceBox.getValue();
    if (device == null) {
      return;
    }
    if (loading != null && loading.isRunning() && history != null && device.equals(history.deviceId())) {
      return; // a poll while the previous one still reads
    }
    long generation = ++loadGeneration;
    Metric metric = metricBox.getValue();
    var ctx = model.ctx();
    if (history == null) {
      historyLabel.setText("Loading versions of " + device + "…");
    }
    int columns = metricColumns();
    Set<String> keep = Set.copyOf(pickedVersions());
    loading = Tasks.<MetricChart.Data>create(p -> MetricChart.build(
            VersionHistory.load(ctx.registry(), ctx.audit(), device), metric, columns, keep))
        .onSuccess(data -> {
          if (generation == loadGeneration) {
            applyHistory(data);
          }
        })
        .onError(e -> {
          if (generation == loadGeneration) {
            historyLabel.setText("Could not load the versions of " + device + ": " + message(e));
          }
        })
        .runOn(model.executor());
  }

  private void rebuildMetricChart() {
    VersionHistory h = history;
    Metric metric = metricBox.getValue();
    metricColumn.setText(metric.axisLabel());
    versionsTable.refresh();
    if (h == null) {
      return;
    }
    long generation = ++loadGeneration;
    int columns = metricColumns();
    Set<String> keep = Set.copyOf(pickedVersions());
    Tasks.<MetricChart.Data>create(p -> MetricChart.build(h, metric, columns, keep))
        .onSuccess(data -> {
          if (generation == loadGeneration) {
            metricChart.show(data, Set.copyOf(pickedVersions()));
          }
        })
        .onError(e -> historyLabel.setText("Could not draw " + metric.label() + ": " + message(e)))
        .runOn(model.executor());
  }

  /**
   * Pixel columns to thin the metric chart to: the chart's width now (read on the FX thread), never under the
   * default so a later widening of the window still has ~2 points per column.
   */
  private int metricColumns() {
    double width = panes.get(ChartKind.METRIC).viewer().getWidth();
    return Math.max(MetricChart.DEFAULT_COLUMNS, (int) Math.ceil(width));
  }

  private void applyHistory(MetricChart.Data data) {
    VersionHistory h = data.history();
    boolean unchanged = h.sameAs(history) && metricChart.data() != null
        && metricChart.data().metric() == data.metric();
    history = h;
    historyLabel.setText(summary(h));
    if (unchanged) {
      return; // a poll with nothing new: keep rows, scroll position and chart as they are
    }
    Set<String> keep = new LinkedHashSet<>(pickedVersions());
    List<VersionRow> newest = new ArrayList<>(h.versions().size());
    for (int i = h.versions().size() - 1; i >= 0; i--) {
      VersionPoint p = h.versions().get(i);
      VersionRow row = new VersionRow(p, keep.contains(p.version()));
      row.pickedProperty().addListener((o, was, now) -> picksChanged());
      newest.add(row);
    }
    rows.setAll(newest);
    metricChart.show(data, keep);
    picksChanged();
  }

  private static String summary(VersionHistory h) {
    long promotions = h.moves().stream().filter(m -> !"rollback".equals(m.action())).count();
    long rollbacks = h.moves().size() - promotions;
    return count(h.versions().size(), "version") + " · " + count(promotions, "promotion") + " · "
        + count(rollbacks, "rollback") + " · in service: " + (h.currentVersion() == null ? "none" : h.currentVersion());
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  // ---- picking and comparing

  private void picksChanged() {
    List<String> picked = pickedVersions();
    metricChart.setPicked(Set.copyOf(picked));
    VersionComparison.Result last = comparisonResult();
    Map<String, VersionComparison.VersionResult> compared = new HashMap<>();
    if (last != null) {
      last.versions().forEach(v -> compared.put(v.version(), v));
    }
    List<SideRow> side = new ArrayList<>();
    for (String v : picked) {
      VersionPoint p = history == null ? null : history.find(v);
      if (p != null) {
        side.add(SideRow.of(p, compared.get(v), zone));
      }
    }
    sideRows.setAll(side);
    refreshDiff(picked);
    boolean running = comparing != null && comparing.isRunning();
    compareButton.setDisable(picked.size() < 2 || running);
    if (!running && last == null) {
      progressLabel.setText(picked.size() < 2 ? "Tick two or more versions to compare them on recent data" : "");
    }
  }

  /** Scores the ticked versions on the device's newest readings, in the background. */
  public void compare() {
    String device = deviceBox.getValue();
    List<String> picked = pickedVersions();
    if (device == null || picked.size() < 2 || comparing != null && comparing.isRunning()) {
      return;
    }
    Duration window = Duration.ofDays(windowBox.getValue());
    compareButton.setDisable(true);
    comparing = Tasks.<ComparisonCharts.Data>create(p -> ComparisonCharts.build(
            comparison.compare(device, picked, window, p)))
        .title("Compare " + picked.size() + " versions of " + device)
        .onSuccess(data -> {
          if (!device.equals(deviceBox.getValue())) {
            return;
          }
          charts.show(data);
          charts.restyle(style);
          var r = data.result();
          progressLabel.setText(picked.size() + " versions on " + r.ts().length + " shared rows, "
              + Format.time(r.from(), zone) + " – " + Format.time(r.to(), zone));
          picksChanged();
        })
        .onCancelled(() -> progressLabel.setText("Comparison cancelled"))
        .onError(e -> progressLabel.setText("Could not compare: " + message(e)))
        .andFinally(() -> {
          progress.progressProperty().unbind();
          progress.setVisible(false);
          cancelButton.setVisible(false);
          picksChanged();
        })
        .build();
    progress.progressProperty().bind(comparing.progressProperty());
    progress.setVisible(true);
    cancelButton.setVisible(true);
    progressLabel.setText("Comparing " + picked.size() + " versions…");
    comparing.messageProperty().addListener((o, was, m) -> {
      if (comparing != null && comparing.isRunning() && m != null && !m.isEmpty()) {
        progressLabel.setText("Comparing: " + m);
      }
    });
    model.executor().execute(comparing);
  }

  // ---- configuration diff

  /** Reads the two ticked versions' meta files in the background and diffs them; anything but two clears it. */
  private void refreshDiff(List<String> picked) {
    String device = deviceBox.getValue();
    if (picked.size() != 2 || device == null) {
      ++diffGeneration;
      diff = null;
      diffRows.clear();
      dA.setText("A");
      dB.setText("B");
      diffStatus.setText(picked.size() > 2 ? picked.size() + " versions are ticked: tick exactly two to diff them"
          : DIFF_HINT);
      return;
    }
    if (diff != null && device.equals(diffDevice) && diff.versionA().equals(picked.get(0))
        && diff.versionB().equals(picked.get(1))) {
      return; // a poll or a re-tick of the same pair
    }
    long generation = ++diffGeneration;
    String a = picked.get(0);
    String b = picked.get(1);
    var registry = model.ctx().registry();
    diffStatus.setText("Reading the meta files of " + a + " and " + b + "…");
    Tasks.<VersionDiff>create(p -> VersionDiff.of(registry.meta(device, a), registry.meta(device, b), zone))
        .onSuccess(d -> {
          if (generation == diffGeneration) {
            diff = d;
            diffDevice = device;
            dA.setText("A · " + d.versionA() + " (older)");
            dB.setText("B · " + d.versionB());
            showDiffRows();
          }
        })
        .onError(e -> {
          if (generation == diffGeneration) {
            diffStatus.setText("Could not read the two versions: " + message(e));
          }
        })
        .runOn(model.executor());
  }

  private void showDiffRows() {
    VersionDiff d = diff;
    if (d == null) {
      return;
    }
    int differing = d.differences().size();
    diffRows.setAll(onlyDifferences.isSelected() ? d.differences() : d.rows());
    diffStatus.setText(differing + " of " + d.rows().size() + " fields differ (marked " + DIFFERS_MARK + ")");
  }

  /** "≠ Trainer › max_depth": the marker keeps a differing row findable without its colour. */
  private static String fieldText(VersionDiff.Row r) {
    return (r.differs() ? DIFFERS_MARK + " " : "   ") + r.section().label() + " › " + r.field();
  }

  /** A table row styled {@link #DIFFERS_STYLE} while it shows a differing field. */
  private static final class DiffRow extends javafx.scene.control.TableRow<VersionDiff.Row> {
    @Override
    protected void updateItem(VersionDiff.Row item, boolean empty) {
      super.updateItem(item, empty);
      getStyleClass().remove(DIFFERS_STYLE);
      if (!empty && item != null && item.differs()) {
        getStyleClass().add(DIFFERS_STYLE);
      }
    }
  }

  /** A text cell whose full value is in a tooltip: feature lists and run ids can be wider than the column. */
  private static final class TipCell extends TableCell<VersionDiff.Row, String> {
    @Override
    protected void updateItem(String item, boolean empty) {
      super.updateItem(item, empty);
      setText(empty ? null : item);
      setTooltip(empty || item == null || item.isBlank() ? null : new javafx.scene.control.Tooltip(item.trim()));
    }
  }

  // ---- export

  private void exportWithDialog(ChartKind kind) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Export " + kind.caption() + " as PNG");
    chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
    chooser.setInitialFileName(deviceBox.getValue() + "-" + kind.fileStem() + ".png");
    File file = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
    if (file == null) {
      return;
    }
    // decision: Java2D rendering to the file runs in the background; the chart is not changed meanwhile
    Tasks.<Path>create(p -> {
          exportPng(kind, file.toPath());
          return file.toPath();
        })
        .onSuccess(path -> progressLabel.setText("Saved " + path))
        .onError(e -> progressLabel.setText("Could not save " + file + ": " + message(e)))
        .runOn(model.executor());
  }

  // ---- theme and lifecycle

  private void sceneChanged(Scene scene) {
    if (styledScene != null) {
      styledScene.getStylesheets().removeListener(sheetsListener);
    }
    styledScene = scene;
    if (scene == null) {
      poll.stop();
      return;
    }
    scene.getStylesheets().addListener(sheetsListener);
    restyle();
    poll.play();
  }

  private void restyle() {
    style = ChartStyle.of(styledScene);
    metricChart.restyle(style);
    charts.restyle(style);
  }

  private static String stageText(VersionPoint p) {
    return (p.stage() == null ? "–" : p.stage()) + (p.inService() ? " ★" : "");
  }

  private static void bind(TableColumn<SideRow, String> column, Function<SideRow, String> value) {
    column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** A tick box bound to the row's picked flag; its id names the version so tests can click it. */
  private static final class PickCell extends TableCell<VersionRow, Boolean> {
    private final CheckBox box = new CheckBox();
    private VersionRow bound;

    @Override
    protected void updateItem(Boolean item, boolean empty) {
      super.updateItem(item, empty);
      if (bound != null) {
        box.selectedProperty().unbindBidirectional(bound.pickedProperty());
        bound = null;
      }
      VersionRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (row == null) {
        setGraphic(null);
        return;
      }
      bound = row;
      box.setId("pick-" + row.version());
      box.selectedProperty().bindBidirectional(row.pickedProperty());
      setGraphic(box);
    }
  }
}
