package com.retrainconsole.registry;

import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/** A model whose file passed its sha256 check, with its meta and (when loaded as current) the pointer. */
public record LoadedModel(ModelMeta meta, Model<Regressor> model, Pointer pointer) {}
