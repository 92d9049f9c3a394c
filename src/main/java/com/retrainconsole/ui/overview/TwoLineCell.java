package com.retrainconsole.ui.overview;

import com.retrainconsole.ui.Styles;
import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.layout.VBox;

/**
 * A cell with a main line and a muted detail line, both bound to the row's properties (so a poll updates
 * the text without rebuilding the cell). decision: two lines per row fit eleven facts per device into a
 * 1366-pixel field laptop without clipping, where one column per fact did not.
 */
final class TwoLineCell extends TableCell<DeviceRow, DeviceRow> {
  private final Function<DeviceRow, ObservableValue<String>> main;
  private final Function<DeviceRow, ObservableValue<String>> detail;
  private final boolean statusStyled;
  private final Label mainLabel = new Label();
  private final Label detailLabel = new Label();
  private final VBox box = new VBox(2, mainLabel, detailLabel);

  TwoLineCell(Function<DeviceRow, ObservableValue<String>> main, Function<DeviceRow, ObservableValue<String>> detail,
      boolean statusStyled) {
    this.main = main;
    this.detail = detail;
    this.statusStyled = statusStyled;
    detailLabel.getStyleClass().add(Styles.MUTED);
    mainLabel.textProperty().addListener((o, was, now) -> restyle(now));
  }

  private void restyle(String text) {
    if (!statusStyled) {
      return;
    }
    mainLabel.getStyleClass().removeIf(s -> s.startsWith(Styles.STATUS_PREFIX));
    if (text != null) {
      mainLabel.getStyleClass().add(Styles.status(text.replace(' ', '-')));
    }
  }

  @Override
  protected void updateItem(DeviceRow row, boolean empty) {
    super.updateItem(row, empty);
    mainLabel.textProperty().unbind();
    detailLabel.textProperty().unbind();
    if (empty || row == null) {
      setGraphic(null);
      return;
    }
    mainLabel.textProperty().bind(main.apply(row));
    detailLabel.textProperty().bind(detail.apply(row));
    restyle(mainLabel.getText());
    setGraphic(box);
  }
}
